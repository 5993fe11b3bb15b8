from django.urls import path

from complaints import views
from services import request_views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_create, name="create"),
    path("<str:number>/tanda-terima/", views.complaint_receipt, name="receipt"),
]

urlpatterns += [
    path("berkas/bukti/<int:pk>/", views.staff_evidence, name="staff_evidence"),
]

urlpatterns += [
    path("<str:number>/tanda-terima.pdf", request_views.request_receipt_pdf, name="receipt_pdf"),
]
