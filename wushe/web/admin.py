from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("wushe back office")
admin.site.site_title = _("wushe back office")
admin.site.index_title = _("Records (read-mostly: day-to-day writes go through the app pages)")
