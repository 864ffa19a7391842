from django.urls import path

from samspill.organisations import token_views, views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("ny/", views.create, name="create"),
    path("invitasjon/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/rediger/", views.edit, name="edit"),
    path("<slug:slug>/medlemmer/", views.members, name="members"),
    path("<slug:slug>/medlemmer/<int:pk>/rolle/", views.change_role, name="change_role"),
    path("<slug:slug>/medlemmer/<int:pk>/fjern/", views.remove_member, name="remove_member"),
    path("<slug:slug>/invitasjoner/<int:pk>/trekk-tilbake/", views.revoke_invitation, name="revoke_invitation"),
    path("<slug:slug>/historikk/", views.history, name="history"),
    path("<slug:slug>/api-nokler/", token_views.api_tokens, name="api_tokens"),
    path("<slug:slug>/api-nokler/<int:pk>/trekk-tilbake/", token_views.revoke_api_token, name="revoke_api_token"),
]
