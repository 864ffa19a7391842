from django.urls import path

from samspill.followup import views

app_name = "followup"

urlpatterns = [
    path("mine-timer/", views.my_hours, name="my_hours"),
    path("sjekk-inn/<int:pk>/", views.checkin, name="checkin"),
    path("taushetserklaering/<slug:slug>/", views.sign_declaration, name="sign_declaration"),
    path("attest/<slug:slug>/pdf/", views.my_certificate, name="my_certificate"),
    path("timer/<int:pk>/godkjenn/", views.hours_approve, name="hours_approve"),
    path("timer/<int:pk>/avvis/", views.hours_reject, name="hours_reject"),
    path("timer/<int:pk>/slett/", views.hours_delete, name="hours_delete"),
    path("oppfolging/<int:pk>/", views.followup_detail, name="followup"),
    path("organisasjon/<slug:slug>/", views.overview, name="overview"),
    path("organisasjon/<slug:slug>/frivillige/", views.volunteers, name="volunteers"),
    path("organisasjon/<slug:slug>/frivillige/<int:user_pk>/", views.volunteer_detail, name="volunteer"),
    path(
        "organisasjon/<slug:slug>/frivillige/<int:user_pk>/politiattest/<str:what>/",
        views.police_certificate,
        name="police_certificate",
    ),
    path(
        "organisasjon/<slug:slug>/frivillige/<int:user_pk>/opplaering/<int:item_pk>/",
        views.training_done,
        name="training_done",
    ),
    path("organisasjon/<slug:slug>/frivillige/<int:user_pk>/avslutt/", views.end_role, name="end_role"),
    path(
        "organisasjon/<slug:slug>/frivillige/<int:user_pk>/attest/pdf/", views.certificate_for, name="certificate_for"
    ),
    path("organisasjon/<slug:slug>/timer/", views.hours_list, name="hours"),
    path("organisasjon/<slug:slug>/rapport/", views.report, name="report"),
    path("organisasjon/<slug:slug>/rapport/csv/", views.report_csv, name="report_csv"),
    path("organisasjon/<slug:slug>/taushetserklaering/", views.declarations, name="declarations"),
    path("organisasjon/<slug:slug>/opplaering/", views.training, name="training"),
    path("organisasjon/<slug:slug>/plan/", views.schedule, name="schedule"),
    path("organisasjon/<slug:slug>/plan/standard/", views.schedule_standard, name="schedule_standard"),
]
