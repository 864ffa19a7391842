from django.urls import path

from samspill.practices import views

app_name = "practices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.detail, name="detail"),
]
