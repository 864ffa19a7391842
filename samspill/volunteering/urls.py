from django.urls import path

from samspill.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("", views.search, name="search"),
]
