from django.urls import path

from samspill.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]
