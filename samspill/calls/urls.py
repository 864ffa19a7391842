from django.urls import path

from samspill.calls import export_views, views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("mine/", views.my_submissions, name="my_submissions"),
    path("bidrag/<int:pk>/", views.submission_detail, name="submission"),
    path("bidrag/<int:pk>/rediger/", views.submission_edit, name="submission_edit"),
    path("bidrag/<int:pk>/se-over/", views.submission_review, name="submission_review"),
    path("vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/send-inn/", views.submission_new, name="submission_new"),
    path("<slug:slug>/eksport/", export_views.export_list, name="exports"),
    path("eksport/<int:pk>/", export_views.export_status, name="export"),
    path("eksport/<int:pk>/last-ned/", export_views.export_download, name="export_download"),
]
