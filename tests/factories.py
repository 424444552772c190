import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from organisation import roles
from organisation.models import Person, Unit

PASSWORD = "correct-horse-battery-9"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n}")
    name_vi = factory.LazyAttribute(lambda o: f"Đơn vị {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Unit {o.code}")


class PersonFactory(factory.django.DjangoModelFactory):
    """`role=` puts the person in that role's group (created with its permissions)."""

    class Meta:
        model = Person
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Số {n}")
    position_title = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if extracted:
            roles.sync_roles()
            obj.groups.add(Group.objects.get(name=extracted))
            if roles.ROLES[extracted].staff:
                obj.is_staff = True
        obj.save()


class DelegationFactory(factory.django.DjangoModelFactory):
    """A delegation of signature in force today, for every kind, to a new Vice-Minister
    unless `delegate=` names one."""

    class Meta:
        model = "delegation.Delegation"

    delegate = factory.SubFactory(PersonFactory, role=roles.VICE_MINISTER)
    all_kinds = True
    kinds = factory.LazyFunction(list)
    starts_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=365))
    decision_reference = factory.Sequence(lambda n: f"Quyết định số {n + 100}/QĐ-UBDT")
    recorded_by = factory.SubFactory(PersonFactory, role=roles.MINISTER)
    recorded_at = factory.LazyFunction(timezone.now)


def _today():
    from worktime.calendar import today

    return today()
