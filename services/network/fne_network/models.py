"""Every table of the network service, imported so that Alembic and the metadata see them all."""

from fne_network.events.models import Event
from fne_network.people.models import Employer, Person, Programme
from fne_network.trainings.models import Registration, TrainingSession

__all__ = ["Employer", "Event", "Person", "Programme", "Registration", "TrainingSession"]
