from django.urls import path

from samspill.core import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("om-dataene/", views.about_data, name="about_data"),
    path("healthz", views.healthz, name="healthz"),
    path("helse/", health.health, name="health"),
]
