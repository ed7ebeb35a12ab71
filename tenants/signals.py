from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .directory import directory
from .models import Committee, Domain


@receiver([post_save, post_delete], sender=Committee)
@receiver([post_save, post_delete], sender=Domain)
def forget_hosts(**kwargs) -> None:
    directory.invalidate()
