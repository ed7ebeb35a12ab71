"""Accounts over the API: codes, registration, JWT login/refresh/logout, the current account."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from core import access, challenges, notifications, services
from core.addresses import client_ip
from core.errors import ServiceError

from .fields import IdField
from .permissions import committee_of
from .serializers import (
    AccessSerializer,
    ChallengeSerializer,
    CodeLoginSerializer,
    LoginSerializer,
    MeSerializer,
    PhoneSerializer,
    RefreshSerializer,
    RegisterSerializer,
    ResetPasswordSerializer,
    TokenPairSerializer,
)
from .throttling import ScopedAddressThrottle


def token_pair(user) -> dict:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class ChallengeView(APIView):
    """A picture challenge, for a request refused with ``challenge_required``: show the
    picture, then send ``challenge_key`` and ``challenge_answer`` with the request again."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "challenges"

    @extend_schema(
        request=None,
        responses={201: ChallengeSerializer},
        summary="A picture challenge (图形验证码), answerable once within five minutes",
    )
    def post(self, request):
        challenge = challenges.issue()
        body = {"key": challenge.key, "image_url": request.build_absolute_uri(challenge.image_url)}
        return Response(body, status=status.HTTP_201_CREATED)


class SendCodeView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "codes"

    @extend_schema(
        request=PhoneSerializer,
        responses={
            202: inline_serializer("CodeSent", {"expires_in_s": serializers.IntegerField()})
        },
        summary="Send a one-time code to a mobile number (to register, sign in or reset the "
        "password)",
    )
    def post(self, request):
        data = PhoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.send_phone_code(
            phone=data.validated_data["phone"],
            purpose=data.validated_data["purpose"],
            client_ip=client_ip(request),
            challenge=data.challenge(),
        )
        ttl = int((record.expires_at - record.created_at).total_seconds())
        return Response({"expires_in_s": ttl}, status=status.HTTP_202_ACCEPTED)


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegisterSerializer,
        responses={201: TokenPairSerializer},
        summary="Create an account with the code sent to the number",
    )
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.register(**data.validated_data)
        return Response(token_pair(user), status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer},
        summary="Log in with mobile number and password; the token works on every portal",
    )
    def post(self, request):
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.login(
            request=request._request,
            client_ip=client_ip(request),
            challenge=data.challenge(),
            **data.fields_without_challenge,
        )
        return Response(token_pair(user))


class CodeLoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=CodeLoginSerializer,
        responses={200: TokenPairSerializer},
        summary="Log in with the code sent by SMS (purpose login) instead of the password",
    )
    def post(self, request):
        data = CodeLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.login_with_code(
            client_ip=client_ip(request),
            challenge=data.challenge(),
            **data.fields_without_challenge,
        )
        return Response(token_pair(user))


class ResetPasswordView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=ResetPasswordSerializer,
        responses={200: TokenPairSerializer},
        summary="Set a new password with the code sent by SMS (purpose reset); the account's "
        "other refresh tokens are revoked",
    )
    def post(self, request):
        data = ResetPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.reset_password(**data.validated_data)
        return Response(token_pair(user))


class LogoutView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=RefreshSerializer, responses={204: None}, summary="Revoke a refresh token"
    )
    def post(self, request):
        data = RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            RefreshToken(data.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise ServiceError(
                "token_invalid", _("The token is invalid or expired."), field="refresh", status=401
            ) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer(
                "MeResponse",
                {
                    "account": MeSerializer(),
                    "here": AccessSerializer(allow_null=True),
                },
            )
        },
        summary="The current account, its roles, and what it may do on this portal",
    )
    def get(self, request):
        grant = access.access_to(request.user, committee_of(request))
        here = None
        if committee_of(request) is not None:
            here = {
                "kinds": sorted(grant.kinds),
                "can_read": grant.can_read,
                "can_write": grant.can_write,
            }
        return Response({"account": MeSerializer(request.user).data, "here": here})

    @extend_schema(
        request=MeSerializer, responses={200: MeSerializer}, summary="Change the account's name"
    )
    def patch(self, request):
        data = MeSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        data.save()
        return Response(data.data)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.SerializerMethodField()
    committee = serializers.CharField(source="committee.code", default=None)
    link = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_text(self, notification) -> str:
        return notifications.text_of(notification)

    def get_link(self, notification) -> str:
        """A full address when it points to another committee's portal."""
        return notifications.link_of(notification, self.context["request"])


class NotificationListView(generics.ListAPIView):
    """My notifications from every portal, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notifications.inbox(self.request.user)


class UnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=inline_serializer("Unread", {"unread": serializers.IntegerField()}))
    def get(self, request):
        return Response({"unread": notifications.unread_count(request.user)})


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=1000,
        help_text="Without ids: all of them",
    )


class MarkReadView(APIView):
    """Mark the given notifications (all of them without ``ids``) as read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MarkReadSerializer,
        responses=inline_serializer("Marked", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        return Response({"marked": notifications.mark_read(request.user, ids)})
