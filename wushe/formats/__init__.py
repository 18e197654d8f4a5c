"""Our number formats per language (settings.FORMAT_MODULE_PATH), on top of Django's own.

Django's zh_Hans formats group digits by four with no separator (``12099700.00``): a figure on
a page or in an export's display text then reads as one long string of digits. The bureau's
documents write ``12,099,700.00`` (groups of three, a comma), as the seed text's tables do, so
every ``floatformat:"2g"``, ``intcomma`` and ``|grouped`` groups that way in Chinese as well.

Only the grouping is changed; ``USE_THOUSAND_SEPARATOR`` stays off, so a bare ``{{ n }}`` (an
id in a link, a year in a picker, a data attribute) is never grouped: a figure a person reads is
grouped explicitly with ``|grouped``, ``|money`` or ``|wan_yuan`` (web/templatetags/wushe_tags).
"""
