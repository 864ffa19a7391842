from django.urls import path

from samspill.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("ny/", views.create, name="create"),
    path("ta-i-bruk/<slug:slug>/", views.adopt, name="adopt"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rediger/", views.edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/partnere/", views.add_partner, name="add_partner"),
    path("<int:pk>/partnere/<int:partner_pk>/fjern/", views.remove_partner, name="remove_partner"),
    path("<int:pk>/plan/", views.add_plan_item, name="add_plan_item"),
    path("<int:pk>/plan/<int:item_pk>/gjort/", views.plan_item_done, name="plan_item_done"),
    path("<int:pk>/ressurser/", views.add_resource, name="add_resource"),
    path("<int:pk>/ressurser/<int:resource_pk>/fjern/", views.remove_resource, name="remove_resource"),
    path("<int:pk>/indikatorer/ny/", views.indicator_create, name="indicator_create"),
    path("<int:pk>/indikatorer/<int:indicator_pk>/", views.indicator, name="indicator"),
    path("<int:pk>/indikatorer/<int:indicator_pk>/rediger/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/import/", views.import_measurements, name="import"),
    path("<int:pk>/import/bekreft/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/foresla-som-eksempel/", views.propose_practice, name="propose_practice"),
]
