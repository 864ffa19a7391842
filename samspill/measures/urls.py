from django.urls import path

from samspill.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.list, name="list"),
]
