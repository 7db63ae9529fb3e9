"""URLs under /omgangar/<year>/forum/ for the forum's outcome: the controller's
agreed order, budget line, review, decisions, publication, rättelse, the
decisions of KS and KF and the history."""

from django.urls import path

from ranking.views import bodies, decision

urlpatterns = [
    path("ordning/", decision.forum_order, name="forum_order"),
    path("budgetlinje/", decision.forum_budget, name="forum_budget"),
    path("granskning/", decision.forum_review, name="forum_review"),
    path("beslut/", decision.forum_decisions, name="forum_decisions"),
    path("publicera/", decision.forum_publish, name="forum_publish"),
    path("beslut/<id:number>/rattelse/", decision.forum_correction, name="forum_correction"),
    path("ks-kf/", bodies.body_decisions, name="body_decisions"),
    path("ks-kf/<id:pk>/", bodies.body_decision_edit, name="body_decision_edit"),
    path("historik/", decision.forum_history, name="forum_history"),
]
