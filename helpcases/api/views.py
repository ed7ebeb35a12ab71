"""Help cases over the API: youths ask for help, follow their cases, join public ones and
evaluate the help; staff work the queue, move a case through its steps and group alike cases
into a collective demand. Each endpoint parses, calls one service or selector, and renders the
case as ``helpcases.presenters.shown`` shows it to the viewer."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.serializers import TransferSerializer
from core import access
from core.api.permissions import IsCommitteeStaff, committee_of
from core.api.throttling import ScopedAddressThrottle
from qa.models import Question

from .. import collective, presenters, selectors, services
from ..models import Action, HelpCase
from . import serializers as s


def _cases():
    return HelpCase.objects.select_related("category", "designated", "team")


def detail(case: HelpCase, request, rights: selectors.Rights | None = None) -> dict:
    """``case`` as ``request.user`` may see it (``selectors.rights_over``), with its steps."""
    rights = rights or selectors.rights_over(case, request.user)
    assert rights is not None, "render only a case the viewer may see"
    shown = presenters.shown(case, rights)
    return s.HelpCaseSerializer(shown, context={"rights": rights, "request": request}).data


def _visible(request, pk: int) -> tuple[HelpCase, selectors.Rights]:
    """The case with the viewer's rights over it: 404 when it is not theirs to see, 401 when
    signing in might make it so."""
    case = _cases().filter(pk=pk).first()
    rights = selectors.rights_over(case, request.user) if case is not None else None
    if case is None or rights is None:
        if case is not None and not request.user.is_authenticated:
            raise NotAuthenticated
        raise Http404
    return case, rights


def _staff_case(pk: int) -> HelpCase:
    case = _cases().filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


class HelpCaseListView(generics.ListAPIView):
    """The public cases (their youths let others read and join them), newest first, each as
    the viewer may see it (masked for the public); POST asks for help."""

    permission_classes = [AllowAny]
    serializer_class = s.HelpCaseItemSerializer
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = {"POST": "ask"}

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.with_size(selectors.public_cases())

    @extend_schema(
        request=s.HelpSubmitSerializer,
        responses={201: s.HelpCaseSerializer},
        summary="Ask for help (找帮助): received and routed at once, or held for review",
    )
    def post(self, request):
        data = s.HelpSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        case = services.submit(
            youth=request.user, **{**fields, "category": fields["category"] or None}
        )
        return Response(detail(case, request), status=status.HTTP_201_CREATED)


class MyHelpCasesView(generics.ListAPIView):
    """The cases I asked for or joined here, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.HelpCaseItemSerializer

    def get_queryset(self):
        return selectors.with_size(selectors.cases_of(self.request.user)).select_related("category")


class HelpQueueView(generics.ListAPIView):
    """The cases waiting for staff that I work on (every one for cadres, admins and readers
    from above), the largest first, then the oldest deadline; readers from above read them
    masked."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.HelpQueueItemSerializer

    def get_queryset(self):
        return selectors.queue(self.request.user)


class HelpCaseDetailView(APIView):
    """One case with its steps, as the viewer may see it."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.HelpCaseSerializer})
    def get(self, request, pk):
        case, rights = _visible(request, pk)
        if rights.reads_from_above:
            committee = committee_of(request)
            access.log_read_from_above(
                request, committee, access.access_to(request.user, committee)
            )
        return Response(detail(case, request, rights))


def _step(name: str, request_serializer, run, summary: str, *, staff: bool = True):
    """A POST on one case that calls ``run(case, user, data)`` and answers with the case as
    the user now sees it. A step of this committee's staff, or (``staff=False``) a youth's
    on a case they may see; the service decides whether the user may take it, and when."""

    class View(APIView):
        permission_classes = [IsCommitteeStaff] if staff else [IsAuthenticated]

        @extend_schema(
            request=request_serializer, responses={200: s.HelpCaseSerializer}, summary=summary
        )
        def post(self, request, pk, **kwargs):
            case = _staff_case(pk) if staff else _visible(request, pk)[0]
            data = {}
            if request_serializer is not None:
                parsed = request_serializer(data=request.data)
                parsed.is_valid(raise_exception=True)
                data = parsed.validated_data
            run(case, request.user, data)
            return Response(detail(_staff_case(case.pk), request))

    View.__name__ = View.__qualname__ = f"Help{name}View"
    return View


STEPS = {
    "start": _step(
        "Start",
        None,
        lambda case, user, d: services.start_verifying(case=case, actor=user),
        "Take the case up and begin the offline verification (线下核实)",
    ),
    "claim": _step(
        "Claim",
        None,
        lambda case, user, d: services.claim(case=case, user=user),
        "Take the case from its team's queue",
    ),
    "verify": _step(
        "Verify",
        s.HelpVerifySerializer,
        lambda case, user, d: services.verify(case=case, actor=user, **d),
        "Record an offline verification and its verdict",
    ),
    "actions": _step(
        "Plan",
        s.HelpPlanSerializer,
        lambda case, user, d: services.plan_action(case=case, actor=user, **d),
        "Plan a step of the coordination (协调解决): who, what, by when",
    ),
    "resolve": _step(
        "Resolve",
        s.HelpResolveSerializer,
        lambda case, user, d: services.resolve(case=case, actor=user, **d),
        "End the coordination: resolved, or not with the reason why",
    ),
    "report": _step(
        "Report",
        s.HelpReportSerializer,
        lambda case, user, d: services.report_back(case=case, actor=user, **d),
        "Tell every youth the case serves what was done (反馈结果)",
    ),
    "release": _step(
        "Release",
        None,
        lambda case, user, d: services.release(case=case, actor=user),
        "Let a case held for review through",
    ),
    "reject": _step(
        "Reject",
        s.HelpRejectSerializer,
        lambda case, user, d: services.reject(case=case, actor=user, **d),
        "Refuse a case held for review",
    ),
    "evaluate": _step(
        "Evaluate",
        s.HelpEvaluateSerializer,
        lambda case, user, d: services.evaluate(case=case, youth=user, **d),
        "A youth the case serves evaluates the help (接受青年评价), once a round",
        staff=False,
    ),
    "transfer": _step(
        "Transfer",
        TransferSerializer,
        lambda case, user, d: services.transfer(case=case, actor=user, **d),
        "Transfer (转接) to another committee, which handles it from the start",
    ),
    "join": _step(
        "Join",
        s.HelpJoinSerializer,
        lambda case, user, d: collective.join(case=case, youth=user, **d),
        "The same need (我也遇到): join a public case and be told as it goes on",
        staff=False,
    ),
}


class ActionDoneView(APIView):
    """Mark a planned action of the coordination done."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(request=None, responses={200: s.HelpCaseSerializer})
    def post(self, request, pk):
        action = Action.objects.filter(pk=pk).first()
        if action is None:
            raise Http404
        services.complete_action(action=action, actor=request.user)
        return Response(detail(_staff_case(action.case_id), request))


class GroupView(APIView):
    """Group open cases (and questions) of this committee into one collective demand
    (集中性诉求), handled as one case."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(request=s.HelpGroupSerializer, responses={201: s.HelpCaseSerializer})
    def post(self, request):
        data = s.HelpGroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = list(dict.fromkeys(data.validated_data["cases"]))
        asked = list(dict.fromkeys(data.validated_data["questions"]))
        found = HelpCase.objects.in_bulk(wanted)
        questions = Question.objects.in_bulk(asked)
        if len(found) != len(wanted) or len(questions) != len(asked):
            raise Http404
        demand = collective.group(
            actor=request.user,
            cases=[found[pk] for pk in wanted],
            questions=[questions[pk] for pk in asked],
            title=data.validated_data["title"],
        )
        return Response(detail(_staff_case(demand.pk), request), status=status.HTTP_201_CREATED)


class SuggestionsView(APIView):
    """Open cases of this committee saying what this one says, best first: candidates to
    group with it."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(responses={200: s.HelpCaseItemSerializer(many=True)})
    def get(self, request, pk):
        case = _staff_case(pk)
        found = collective.suggestions(case)
        return Response(
            s.HelpCaseItemSerializer(found, many=True, context={"request": request}).data
        )


class FromQuestionView(APIView):
    """Turn a question that needs help offline into a help case: the asker's, linked both
    ways; the question leaves the queue."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(request=None, responses={201: s.HelpCaseSerializer})
    def post(self, request, pk):
        question = (
            Question.objects.select_related("team", "asker", "local_category").filter(pk=pk).first()
        )
        if question is None:
            raise Http404
        case = services.from_question(question=question, actor=request.user)
        return Response(detail(_staff_case(case.pk), request), status=status.HTTP_201_CREATED)


class OrganisationListView(generics.ListAPIView):
    """The organisations youths may ask to help (``designated`` of a help request)."""

    permission_classes = [AllowAny]
    serializer_class = s.OrganisationSerializer

    def get_queryset(self):
        return services.designatable()
