from django.urls import path

from samspill.calls import anonymous_views, editor_views, export_views, views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("mine/", views.my_submissions, name="my_submissions"),
    path("<slug:slug>/send-inn-uten-konto/", anonymous_views.start, name="anonymous_start"),
    path("<slug:slug>/uten-konto/<str:token>/", anonymous_views.edit, name="anonymous_edit"),
    path("<slug:slug>/uten-konto/<str:token>/se-over/", anonymous_views.review, name="anonymous_review"),
    path("ny/", editor_views.call_create, name="call_create"),
    path("bidrag/<int:pk>/", views.submission_detail, name="submission"),
    path("bidrag/<int:pk>/rediger/", views.submission_edit, name="submission_edit"),
    path("bidrag/<int:pk>/se-over/", views.submission_review, name="submission_review"),
    path("vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/send-inn/", views.submission_new, name="submission_new"),
    path("behandling/<int:pk>/", editor_views.review_submission, name="review_submission"),
    path("behandling/<int:pk>/status/", editor_views.review_status, name="review_status"),
    path("behandling/<int:pk>/notat/", editor_views.review_note, name="review_note"),
    path("behandling/<int:pk>/stikkord/", editor_views.review_tags, name="review_tags"),
    path("<slug:slug>/rediger/", editor_views.call_edit, name="call_edit"),
    path("<slug:slug>/behandling/", editor_views.desk, name="desk"),
    path("<slug:slug>/historikk/", editor_views.call_history, name="call_history"),
    path("<slug:slug>/frist/", editor_views.call_extend, name="call_extend"),
    path("<slug:slug>/arkiv/", editor_views.call_archive, name="call_archive"),
    path("<slug:slug>/eksport/", export_views.export_list, name="exports"),
    path("eksport/<int:pk>/", export_views.export_status, name="export"),
    path("eksport/<int:pk>/last-ned/", export_views.export_download, name="export_download"),
]
