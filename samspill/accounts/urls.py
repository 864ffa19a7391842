from django.urls import path

from samspill.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("rediger/", views.edit_profile, name="edit_profile"),
    path("innloggede-enheter/", views.sessions, name="sessions"),
    path("innloggede-enheter/<int:pk>/logg-ut/", views.end_session, name="end_session"),
    path("innloggede-enheter/logg-ut-andre/", views.end_other_sessions, name="end_other_sessions"),
    path("mine-data/", views.export_data, name="export_data"),
    path("slett-konto/", views.delete_account, name="delete_account"),
    path("konto-slettet/", views.account_deleted, name="account_deleted"),
]
