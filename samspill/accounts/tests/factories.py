import factory
from allauth.account.models import EmailAddress

from samspill.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    name = factory.Faker("name", locale="no_NO")
    password = factory.django.Password("riktig-passord-123")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary e-mail address, as allauth needs for logging in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def enable_totp(user) -> str:
    """Give ``user`` a TOTP authenticator, as if set up in the browser; returns the secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret
