from django.urls import path

from samspill.practices import feeds, views

app_name = "practices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed/", feeds.NewPracticesFeed(), name="feed"),
    path("tema/<slug:slug>/feed/", feeds.ThemeFeed(), name="theme_feed"),
    path("<slug:slug>/pdf/", views.pdf, name="pdf"),
    path("<slug:slug>/", views.detail, name="detail"),
]
