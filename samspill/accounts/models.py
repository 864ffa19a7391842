from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
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


class LoginSessionQuerySet(models.QuerySet["LoginSession"]):
    def visible_to(self, user: Any) -> LoginSessionQuerySet:
        """A person sees only their own devices."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class LoginSession(models.Model):
    """A device where a person is logged in, shown on "Innloggede enheter" so they can end it.

    Collects the least: a browser and system name summarised from the user agent, when
    the login began and when the device was last seen (to the minute). No IP address, no
    full user agent. The session key is kept only as a SHA-256 hash for lookups, plus
    sealed (encrypted with a key derived from SECRET_KEY) so that ending the session can
    delete it from the session store, database or cache alike.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    sealed_key = models.TextField()
    browser = models.CharField(_("nettleser"), max_length=40, blank=True)
    system = models.CharField(_("system"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("logget inn"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("sist brukt"), default=timezone.now)

    objects = LoginSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("innlogget enhet")
        verbose_name_plural = _("innloggede enheter")

    def __str__(self) -> str:
        return f"{self.browser or '?'} / {self.system or '?'}"
