from django.urls import path

from samspill.places import views

app_name = "places"

urlpatterns = [
    path("kommuner-og-fylker/", views.county_list, name="counties"),
    path("fylker/<str:number>/", views.county_detail, name="county"),
    path("kommuner/<str:number>/", views.municipality_detail, name="municipality"),
]
