from django.urls import path

from samspill.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("", views.search, name="search"),
    path("ny/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("kalender/", views.calendar_settings, name="calendar"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("organisasjon/<slug:slug>/", views.organisation_opportunities, name="organisation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/meld-interesse/", views.interest, name="interest"),
    path("<int:pk>/rediger/", views.edit, name="edit"),
    path("<int:pk>/administrer/", views.manage, name="manage"),
    path("<int:pk>/vakter/ny/", views.shift_create, name="shift_create"),
    path("<int:pk>/vaktmonster/ny/", views.series_form, name="series_create"),
    path("<int:pk>/vaktmonster/<int:series_pk>/", views.series_form, name="series_edit"),
    path("vakt/<int:pk>/", views.shift, name="shift"),
    path("vakt/<int:pk>/meld-pa/", views.shift_signup, name="shift_signup"),
    path("vakt/<int:pk>/rediger/", views.shift_edit, name="shift_edit"),
    path("pamelding/<int:pk>/meld-av/", views.cancel_signup, name="cancel"),
    path("pamelding/<int:pk>/oppmote/", views.attendance, name="attendance"),
    path("pamelding/<int:pk>/svar/", views.answer, name="answer"),
]
