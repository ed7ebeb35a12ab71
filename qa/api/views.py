"""Questions over the API: ask, the public archive and its search, my questions, one question,
similar questions while typing."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import presenters as deadline_presenters
from casework.api.serializers import TransferSerializer
from core import access
from core.api.permissions import IsCommitteeStaff, committee_of
from core.api.query import parse_query
from core.api.throttling import ScopedAddressThrottle
from core.models import Role
from franchise.privacy import mask_personal_data
from qa import handling, presenters, selectors, services
from qa.models import Attachment, Question, Reply
from reporting.services import record_visit

from . import serializers as s
from .serializers import AskSerializer, QuestionDetailSerializer, QuestionSerializer


def _grant(request) -> access.Access:
    return access.access_to(request.user, committee_of(request))


class QuestionListView(generics.ListAPIView):
    """The public archive of answered questions; ``?q=`` searches it by Chinese words."""

    permission_classes = [AllowAny]
    serializer_class = s.QuestionListItemSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = {"GET": "search", "POST": "ask"}

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        query = parse_query(s.ArchiveQuery, self.request)
        text = query["q"]
        questions = selectors.search_archive(text) if text else selectors.archive()
        if query.get("category"):
            questions = questions.filter(category=query["category"])
        return selectors.with_list_facts(questions).select_related("category", "asker")

    @extend_schema(parameters=[s.ArchiveQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AskSerializer,
        responses={201: QuestionSerializer},
        summary="Ask a question; without a category it is classified",
    )
    def post(self, request):
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.ask_question(
            asker=request.user,
            **{**data.validated_data, "category": data.validated_data["category"] or None},
        )
        body = QuestionSerializer(question, context={"unmasked": True}).data
        return Response(body, status=status.HTTP_201_CREATED)


class MyQuestionsView(generics.ListAPIView):
    """The questions I asked here, with their states."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.QuestionListItemSerializer

    def get_queryset(self):
        mine = selectors.questions_of(self.request.user)
        return selectors.with_list_facts(mine).select_related("asker")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "unmasked": True}


class QuestionDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: QuestionDetailSerializer})
    def get(self, request, pk):
        grant = _grant(request)
        question = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
        if question is None:
            raise Http404
        record_visit(
            request,
            committee=committee_of(request),
            grant=grant,
            post_type="question",
            post_id=question.pk,
            category=question.category_id,
        )
        return Response(detail(question, request, grant))


class SimilarQuestionsView(APIView):
    """Answered questions like the one being typed, to read before asking."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "similar"

    @extend_schema(
        parameters=[s.SimilarQuery],
        responses={
            200: PolymorphicProxySerializer(
                component_name="SimilarQuestions",
                serializers=[s.SimilarQuestionSerializer(many=True), s.SimilarAnswerSerializer],
                resource_type_field_name=None,
                many=False,
            )
        },
        description="The bare list, best first; with ``with_duplicate`` an object holding the "
        "list and the best question with its answer when it is a duplicate (else null).",
    )
    def get(self, request):
        query = parse_query(s.SimilarQuery, request)
        found = selectors.similar_questions(query["title"], query["body"])
        results = s.SimilarQuestionSerializer(found, many=True).data
        if not query["with_duplicate"]:
            return Response(results)
        return Response({"results": results, "duplicate": duplicate_data(found)})


def duplicate_data(found: list[Question]) -> dict | None:
    """The best of ``found`` with its first answer, as the public reads them, when it says
    the same thing (``qa.selectors.duplicate_among``)."""
    duplicate = selectors.duplicate_among(found)
    if duplicate is None:
        return None
    question, answer = duplicate
    return s.DuplicateSerializer(
        {
            "question": question,
            "answer": answer,
            "link": reverse("qa:question", args=[question.pk]),
            "deflect": reverse("api:question-deflections", args=[question.pk]),
        }
    ).data


class DeflectionView(APIView):
    """Take an answered question's answer instead of asking it again (a deflection): counted
    on its timeline, with the youth when signed in. Only published questions with a
    published answer (404 otherwise)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "ask"

    @extend_schema(
        request=None,
        responses={201: s.DeflectionSerializer, 200: s.DeflectionSerializer},
        summary="This answer solved my question: I do not ask it (201; 200 when already taken)",
    )
    def post(self, request, pk):
        request.data  # noqa: B018 - a body is not needed, but one that does not parse is refused
        question = selectors.answered_question(pk)
        if question is None:
            raise Http404
        taken, recorded = services.take_existing_answer(question=question, youth=request.user)
        return Response(
            s.DeflectionSerializer(taken).data,
            status=status.HTTP_201_CREATED if recorded else status.HTTP_200_OK,
        )


def detail(question: Question, request, grant: access.Access | None = None) -> dict:
    """The question as ``request.user`` may see it (``qa.presenters.rights_over``): personal
    data only for the asker and this committee's own staff, the attachments only for the
    asker and the staff handling it; readers from above (a province admin, the central
    auditor) see it masked, and how many attachments there are."""
    grant = grant or _grant(request)
    rights = presenters.rights_over(question, user=request.user, grant=grant)
    attachments, count = presenters.attachments_for(question, rights)
    context = {
        "unmasked": rights.sees_personal_data,
        "staff": rights.is_staff,
        "replies": selectors.replies_for(question, user=request.user, is_staff=grant.can_read),
        "attachments": attachments,
        "attachment_count": count,
        "request": request,
    }
    if grant.can_write:
        countdown = deadline_presenters.countdown(question.respond_by) if question.is_open else None
        context["asker_phone"] = presenters.asker_phone(request.user, question, grant)
        context["respond_urgency"] = countdown.level if countdown else None
    return QuestionDetailSerializer(question, context=context).data


def _visible(request, pk: int) -> Question:
    grant = _grant(request)
    question = selectors.visible_question(pk=pk, user=request.user, is_staff=grant.can_read)
    if question is None:
        raise Http404
    return question


class OpenQuestionsView(generics.ListAPIView):
    """Public questions still waiting for an answer, where fellow youths may help."""

    permission_classes = [AllowAny]
    serializer_class = s.QuestionListItemSerializer

    def get_queryset(self):
        waiting = selectors.open_questions()
        return selectors.with_list_facts(waiting).select_related("category", "asker")


def _staff_question(request, pk: int) -> Question:
    question = Question.objects.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def _action(name: str, request_serializer, run, summary: str, *, staff_kinds=None):
    """A POST on one question that calls ``run(question, user, data)`` and answers with the
    question. Without ``staff_kinds`` it is a youth's action on a question they can see;
    with it, an action of this committee's staff (``()``: any staff role)."""
    staff = staff_kinds is not None

    class View(APIView):
        permission_classes = [IsCommitteeStaff] if staff else [IsAuthenticated]
        write_kinds = staff_kinds or ()

        @extend_schema(
            request=request_serializer, responses={200: QuestionDetailSerializer}, summary=summary
        )
        def post(self, request, pk):
            question = _staff_question(request, pk) if staff else _visible(request, pk)
            data = {}
            if request_serializer is not None:
                parsed = request_serializer(data=request.data)
                parsed.is_valid(raise_exception=True)
                data = parsed.validated_data
            run(question, request.user, data)
            question.refresh_from_db()
            return Response(detail(question, request))

    View.__name__ = View.__qualname__ = f"{name}View"
    return View


ANY_STAFF: tuple[str, ...] = ()  # any staff role of this committee
REVIEWERS = (Role.Kind.CADRE, Role.Kind.ADMIN)

AnswerView = _action(
    "Answer",
    s.BodySerializer,
    lambda q, user, d: services.answer(question=q, author=user, body=d["body"]),
    "Answer: staff answer questions waiting here; other youths add a peer answer",
)
FollowUpView = _action(
    "FollowUp",
    s.BodySerializer,
    lambda q, user, d: services.follow_up(question=q, asker=user, body=d["body"]),
    "The asker asks more; the question goes back to its team",
)
SolveView = _action(
    "Solve",
    None,
    lambda q, user, d: services.solve(question=q, asker=user),
    "The asker marks it solved",
)
RateView = _action(
    "Rate",
    s.RateSerializer,
    lambda q, user, d: services.rate(question=q, rater=user, **d),
    "The asker rates the help (1–5 stars, once)",
)
ClaimView = _action(
    "Claim",
    None,
    lambda q, user, d: services.claim(question=q, user=user),
    "Take it from the team's queue",
    staff_kinds=ANY_STAFF,
)
AssignView = _action(
    "Assign",
    s.AssignSerializer,
    lambda q, user, d: services.assign(question=q, actor=user, assignee=d["assignee"]),
    "Hand it to a member of its team",
    staff_kinds=ANY_STAFF,
)
RouteView = _action(
    "Route",
    s.RouteSerializer,
    lambda q, user, d: services.route(
        question=q, actor=user, team=d["team"], assignee=d["assignee"]
    ),
    "Re-route (转接) to a team of this committee",
    staff_kinds=ANY_STAFF,
)
ReclassifyView = _action(
    "Reclassify",
    s.ReclassifySerializer,
    lambda q, user, d: services.reclassify(question=q, actor=user, category=d["category"]),
    "Correct the category (a training example for the classifier)",
    staff_kinds=ANY_STAFF,
)
TransferView = _action(
    "Transfer",
    TransferSerializer,
    lambda q, user, d: services.transfer(question=q, actor=user, to=d["to"], note=d["note"]),
    "Transfer (转接) to another committee",
    staff_kinds=ANY_STAFF,
)
CloseView = _action(
    "Close",
    s.ReasonSerializer,
    lambda q, user, d: services.close(question=q, actor=user, reason=d["reason"]),
    "Close a question that needs nothing more",
    staff_kinds=ANY_STAFF,
)
ReleaseView = _action(
    "Release",
    None,
    lambda q, user, d: services.release(question=q, actor=user),
    "Let a held question through",
    staff_kinds=REVIEWERS,
)
RejectView = _action(
    "Reject",
    s.ReasonSerializer,
    lambda q, user, d: services.reject(question=q, actor=user, reason=d["reason"]),
    "Refuse a held question",
    staff_kinds=REVIEWERS,
)


class DislikeView(APIView):
    """The asker marks an answer unhelpful."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.ReplySerializer})
    def post(self, request, pk):
        reply = Reply.objects.select_related("question").filter(pk=pk).first()
        if reply is None or reply.question.asker_id != request.user.pk:
            raise Http404
        services.dislike(reply=reply, user=request.user)
        return Response(s.ReplySerializer(reply, context={"unmasked": True}).data)


class ReplyReviewView(APIView):
    """A reviewer releases or rejects a held reply."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = REVIEWERS
    decision = "release"

    @extend_schema(request=s.ReasonSerializer, responses={200: s.ReplySerializer})
    def post(self, request, pk):
        reply = Reply.objects.select_related("question").filter(pk=pk).first()
        if reply is None:
            raise Http404
        if self.decision == "release":
            services.release(reply=reply, actor=request.user)
        else:
            reason = s.ReasonSerializer(data=request.data)
            reason.is_valid(raise_exception=True)
            services.reject(reply=reply, actor=request.user, reason=reason.validated_data["reason"])
        reply.refresh_from_db()
        return Response(s.ReplySerializer(reply, context={"unmasked": True}).data)


class QueueView(generics.ListAPIView):
    """A staff queue: mine, team, triage, overdue or review (held questions)."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.QueueItemSerializer

    def get_queryset(self):
        name = self.kwargs["name"]
        if name not in selectors.QUEUES:
            raise Http404
        grant = _grant(self.request)
        every_team = grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) or not grant.can_write
        return selectors.queue(name, self.request.user, every_team=every_team).select_related(
            "asker"
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "unmasked": _grant(self.request).can_write,
            "staff": True,
        }


class DeskView(APIView):
    """The workbench home: my queue, what is overdue or due today, each team's backlog."""

    permission_classes = [IsCommitteeStaff]
    rows = 20

    @extend_schema(responses={200: s.DeskSerializer})
    def get(self, request):
        grant = _grant(request)
        every_team = grant.has(Role.Kind.CADRE, Role.Kind.ADMIN) or not grant.can_write
        now = timezone.now()
        found = selectors.desk(
            request.user,
            every_team=every_team,
            now=now,
            day_ends=deadline_presenters.end_of_today(now),
        )
        context = {"unmasked": grant.can_write, "staff": True}
        lists = {
            key: {
                "count": found[key].count(),
                "results": s.QueueItemSerializer(
                    found[key].select_related("asker")[: self.rows], many=True, context=context
                ).data,
            }
            for key in ("mine", "overdue", "due_today")
        }
        body = {
            **lists,
            "backlog": s.BacklogSerializer(found["backlog"], many=True).data,
            "triage": found["triage"],
        }
        return Response(body)


class HeldRepliesView(generics.ListAPIView):
    """Replies held for review."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.HeldReplySerializer

    def get_queryset(self):
        return selectors.review_replies()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "unmasked": _grant(self.request).can_write}


class AttachmentView(APIView):
    """An image attached to a question: for the asker and the staff handling it only (403 to
    anyone else who may open the question, readers from above included)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "image/*"): bytes})
    def get(self, request, pk, attachment):
        question = _visible(request, pk)
        rights = presenters.rights_over(question, user=request.user, grant=_grant(request))
        if not rights.sees_attachments:
            raise PermissionDenied
        found = Attachment.objects.filter(pk=attachment, question=question).first()
        if found is None:
            raise Http404
        return FileResponse(found.file.open("rb"), content_type=found.content_type)


class NotesView(generics.ListCreateAPIView):
    """Staff's internal notes on a question (内部备注): read by this committee's staff and
    readers from above (masked), written by its staff; never shown to the asker."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.InternalNoteSerializer

    def _question(self) -> Question:
        return _staff_question(self.request, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.notes_of(self._question())

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if not _grant(request).can_write:
            for row in response.data["results"]:
                row["body"] = mask_personal_data(row["body"])
        return response

    def create(self, request, *args, **kwargs):
        data = s.InternalNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = handling.add_note(
            question=self._question(), author=request.user, body=data.validated_data["body"]
        )
        return Response(s.InternalNoteSerializer(note).data, status=status.HTTP_201_CREATED)
