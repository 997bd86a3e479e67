"""Spanish as our learners read it in California: Mexican conventions, where numbers use a
decimal point and comma thousands ($19.68, $40,938), not Spain's ($19,68, $40 938)."""

from django.conf.locale.es_MX.formats import *  # noqa: F403
