from django.urls import path

from wushe.charity.views import disbursements, funds, money, public

app_name = "charity"
urlpatterns = [
    path("", funds.fund_list, name="funds"),
    path("funds/new", funds.fund_create, name="fund_create"),
    path("funds/<id:fund_id>/", funds.fund_detail, name="fund_detail"),
    path("funds/<id:fund_id>/edit", funds.fund_edit, name="fund_edit"),
    path("funds/<id:fund_id>/status", funds.fund_status, name="fund_status"),
    path("funds/<id:fund_id>/committee", funds.committee_add, name="committee_add"),
    path("committee/<id:member_id>/remove", funds.committee_remove, name="committee_remove"),
    path("funds/<id:fund_id>/disclosures", funds.disclosure_publish, name="disclosure_publish"),
    path("funds/<id:fund_id>/ledger", funds.ledger, name="ledger"),
    path("funds/<id:fund_id>/donate", money.donation_create, name="donation_create"),
    path("funds/<id:fund_id>/disburse", disbursements.disbursement_create,
         name="disbursement_create"),
    path("donors/", money.donor_list, name="donors"),
    path("donors/new", money.donor_create, name="donor_create"),
    path("donors/<id:donor_id>/", money.donor_detail, name="donor_detail"),
    path("donors/<id:donor_id>/reveal", money.donor_reveal, name="donor_reveal"),
    path("donations/", money.donation_list, name="donations"),
    path("donations/export.xlsx", money.donation_export, name="donation_export"),
    path("donations/<id:donation_id>/", money.donation_detail, name="donation_detail"),
    path("donations/<id:donation_id>/receipt.pdf", money.receipt_pdf, name="receipt_pdf"),
    path("donations/<id:donation_id>/reverse", money.donation_reverse, name="donation_reverse"),
    path("disbursements/", disbursements.disbursement_list, name="disbursements"),
    path("disbursements/export.xlsx", disbursements.disbursement_export,
         name="disbursement_export"),
    path("disbursements/<id:disbursement_id>/", disbursements.disbursement_detail,
         name="disbursement_detail"),
    path("disbursements/<id:disbursement_id>/<str:action>", disbursements.disbursement_act,
         name="disbursement_act"),
    path("public/", public.public_index, name="public"),
    path("public/funds/<id:fund_id>/", public.public_fund, name="public_fund"),
]
