from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from samspill.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with e-mail; the name is one field, as people write it."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-postadresse"), unique=True)
    name = models.CharField(_("navn"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Profile(TimeStampedModel):
    class Language(models.TextChoices):
        NB = "nb", _("norsk bokmål")
        NN = "nn", _("norsk nynorsk")
        SE = "se", _("nordsamisk")
        EN = "en", _("engelsk")
        PL = "pl", _("polsk")
        LT = "lt", _("litauisk")
        UK = "uk", _("ukrainsk")
        AR = "ar", _("arabisk")
        SO = "so", _("somali")
        TI = "ti", _("tigrinja")
        FA = "fa", _("persisk")
        UR = "ur", _("urdu")
        ES = "es", _("spansk")
        DE = "de", _("tysk")
        SV = "sv", _("svensk")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    postal_code = models.ForeignKey(
        "places.PostalCode", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("postnummer")
    )
    languages = models.JSONField(_("språk"), default=list, blank=True)
    interests = models.ManyToManyField("taxonomy.FocusArea", blank=True, verbose_name=_("interesser"))

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profiler")

    def __str__(self) -> str:
        return str(self.user)
