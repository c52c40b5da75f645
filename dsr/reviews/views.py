"""Pages for a person's reviews: plan or record one, see it, and add its recommendations."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dsr import audit
from dsr.access import scope_for
from dsr.actions.forms import RecommendationForm
from dsr.dates import today
from dsr.form_pages import form_page
from dsr.reviews import selectors, services
from dsr.reviews.forms import ReviewForm
from dsr.reviews.models import Review


def _review_url(review: Review) -> str:
    return reverse("reviews:detail", kwargs={"person_id": review.person_id, "review_id": review.pk})


@require_http_methods(["GET", "POST"])
def add_review(request: HttpRequest, person_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="record_review")
    form = ReviewForm(request.POST or None, person=person)
    return form_page(
        request,
        form=form,
        person=person,
        title="Plan or record a review",
        save=lambda _data: services.record_review(person=person, details=form.details(), by=request.user),
        success=_review_url,
        success_message="Review saved",
        submit="Save review",
    )


def review_detail(request: HttpRequest, person_id, review_id) -> HttpResponse:
    scope = scope_for(request)
    person = scope.person(person_id, queryset=scope.people().select_related("register"))
    review = selectors.review_of(person, review_id)
    recommendations = list(review.recommendations.select_related("action"))
    audit.record_read(by=request.user, record=review, what="review")
    may_change = scope.may("record_review", person)
    return render(
        request,
        "reviews/detail.jinja",
        {
            "person": person,
            "review": review,
            "recommendations": recommendations,
            "problems": review.preparation_problems(today()),
            "may_change": may_change,
        },
    )


@require_http_methods(["GET", "POST"])
def change_review(request: HttpRequest, person_id, review_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="record_review")
    review = selectors.review_of(person, review_id)
    initial = {name: getattr(review, name) for name in services.REVIEW_FIELDS}
    form = ReviewForm(request.POST or None, person=person, initial=initial)
    return form_page(
        request,
        form=form,
        person=person,
        title=f"Change the {review.short_kind} on {review.review_on:%-d %B %Y}",
        save=lambda _data: services.change_review(review=review, details=form.details(), by=request.user),
        success=_review_url(review),
        success_message="Review saved",
        submit="Save review",
    )


@require_http_methods(["GET", "POST"])
def add_recommendation(request: HttpRequest, person_id, review_id) -> HttpResponse:
    person = scope_for(request).person_to_change(person_id, action="record_review")
    review = selectors.review_of(person, review_id)
    form = RecommendationForm(request.POST or None, register=person.register)
    return form_page(
        request,
        form=form,
        person=person,
        title=f"Add a recommendation of the {review.short_kind} on {review.review_on:%-d %B %Y}",
        save=lambda data: services.add_recommendation(
            review=review,
            text=data["text"],
            follow_up={name: data[name] for name in ("owner_name", "owner", "organisation", "due_on")},
            by=request.user,
        ),
        success=_review_url(review),
        success_message="Recommendation added, with its action",
        submit="Add recommendation",
    )
