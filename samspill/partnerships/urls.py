from django.urls import path

from samspill.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("ny/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/endre/", views.edit, name="edit"),
    path("<slug:slug>/historikk/", views.history, name="history"),
    path("<slug:slug>/medlemmer/", views.members, name="members"),
    path("<slug:slug>/medlemmer/inviter/", views.invite, name="invite"),
    path("<slug:slug>/medlemmer/be-om-a-bli-med/", views.request_to_join, name="request_to_join"),
    path("<slug:slug>/medlemmer/<int:pk>/svar/", views.answer_invitation, name="answer_invitation"),
    path("<slug:slug>/medlemmer/<int:pk>/avgjor/", views.decide_request, name="decide_request"),
    path("<slug:slug>/medlemmer/<int:pk>/endre/", views.member_edit, name="member_edit"),
    path("<slug:slug>/retningslinjer/", views.guidelines, name="guidelines"),
    path("<slug:slug>/retningslinjer/ny/", views.guidelines_propose, name="guidelines_propose"),
    path("<slug:slug>/retningslinjer/<int:number>/", views.guidelines_version, name="guidelines_version"),
    path("<slug:slug>/retningslinjer/<int:number>/vedta/", views.guidelines_adopt, name="guidelines_adopt"),
    path("<slug:slug>/avtaler/", views.agreements, name="agreements"),
    path("<slug:slug>/avtaler/ny/", views.agreement_create, name="agreement_create"),
    path("<slug:slug>/avtaler/<int:pk>/", views.agreement_detail, name="agreement"),
    path("<slug:slug>/avtaler/<int:pk>/endre/", views.agreement_edit, name="agreement_edit"),
    path("<slug:slug>/avtaler/<int:pk>/bidrag/", views.contribution_add, name="contribution_add"),
    path(
        "<slug:slug>/avtaler/<int:pk>/bidrag/<int:contribution_pk>/fjern/",
        views.contribution_delete,
        name="contribution_delete",
    ),
    path("<slug:slug>/avtaler/<int:pk>/send/", views.agreement_propose, name="agreement_propose"),
    path("<slug:slug>/avtaler/<int:pk>/trekk-tilbake/", views.agreement_withdraw, name="agreement_withdraw"),
    path("<slug:slug>/avtaler/<int:pk>/signer/", views.agreement_sign, name="agreement_sign"),
    path("<slug:slug>/avtaler/<int:pk>/ny-versjon/", views.agreement_new_version, name="agreement_new_version"),
    path("<slug:slug>/moter/", views.meetings, name="meetings"),
    path("<slug:slug>/moter/nytt/", views.meeting_form, name="meeting_create"),
    path("<slug:slug>/moter/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/moter/<int:pk>/endre/", views.meeting_form, name="meeting_edit"),
    path("<slug:slug>/oppfolging/", views.action_items, name="action_items"),
    path("<slug:slug>/oppfolging/<int:pk>/status/", views.action_item_status, name="action_item_status"),
]
