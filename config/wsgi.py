import os

from django.core.wsgi import get_wsgi_application

from wushe.core.keys import private_umask

private_umask()  # files the server creates (database, uploads, jobs) are 0600 / 0700
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
