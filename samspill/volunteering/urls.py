from django.urls import path

from samspill.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("vakt/<int:pk>/", views.shift, name="shift"),
]
