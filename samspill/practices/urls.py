from django.urls import path

from samspill.practices import editor_views, feeds, views

app_name = "practices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed/", feeds.NewPracticesFeed(), name="feed"),
    path("tema/<slug:slug>/feed/", feeds.ThemeFeed(), name="theme_feed"),
    path("<slug:slug>/pdf/", views.pdf, name="pdf"),
    # Editors' pages: fixed paths before "<slug:slug>/".
    path("ny/", editor_views.practice_create, name="create"),
    path("forslag/ny/", editor_views.practice_propose, name="propose"),
    path("behandling/", editor_views.desk, name="desk"),
    path("behandling/innspill/<int:pk>/", editor_views.from_submission, name="from_submission"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/rediger/", editor_views.practice_edit, name="edit"),
    path("<slug:slug>/publiser/", editor_views.practice_publish, name="publish"),
    path("<slug:slug>/trekk-tilbake/", editor_views.practice_withdraw, name="withdraw"),
    path("<slug:slug>/avvis/", editor_views.practice_reject, name="reject"),
]
