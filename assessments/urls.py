from django.urls import path

from assessments import plan_views, views

urlpatterns = [
    # Instruments (TA admins).
    path("assessments/instruments/", views.instrument_list, name="instruments"),
    path("assessments/instruments/new/", views.instrument_new, name="instrument_new"),
    path(
        "assessments/versions/<int:version_id>/",
        views.version_detail,
        name="instrument_version",
    ),
    path(
        "assessments/versions/<int:version_id>/copy/",
        views.version_copy,
        name="instrument_version_copy",
    ),
    path(
        "assessments/versions/<int:version_id>/domains/new/",
        views.domain_edit,
        name="instrument_domain_new",
    ),
    path(
        "assessments/versions/<int:version_id>/domains/<int:domain_id>/",
        views.domain_edit,
        name="instrument_domain",
    ),
    path(
        "assessments/versions/<int:version_id>/domains/<int:domain_id>/items/new/",
        views.item_edit,
        name="instrument_item_new",
    ),
    path(
        "assessments/versions/<int:version_id>/items/<int:rubric_item_id>/",
        views.item_edit,
        name="instrument_item",
    ),
    # A grantee's assessments.
    path("g/<slug:slug>/assessments/", views.assessment_list, name="assessments"),
    path("g/<slug:slug>/assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/interview/",
        views.assessment_interview,
        name="assessment_interview",
    ),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/self-assessment/",
        views.assessment_self,
        name="assessment_self",
    ),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/save/",
        views.assessment_save,
        name="assessment_save",
    ),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/finalize/",
        views.assessment_finalize,
        name="assessment_finalize",
    ),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/pdf/",
        views.assessment_pdf,
        name="assessment_pdf",
    ),
    # A program's needs at a glance.
    path(
        "p/<slug:program_slug>/assessments/",
        views.program_heatmap,
        name="program_assessments",
    ),
    # A grantee's TA plan.
    path("g/<slug:slug>/plan/", plan_views.plan_detail, name="ta_plan"),
    path(
        "g/<slug:slug>/assessments/<int:assessment_id>/plan/",
        plan_views.plan_new,
        name="ta_plan_new",
    ),
    path("g/<slug:slug>/plan/goals/new/", plan_views.goal_new, name="ta_plan_goal_new"),
    path("g/<slug:slug>/plan/goals/<int:goal_id>/", plan_views.goal_edit, name="ta_plan_goal"),
    path(
        "g/<slug:slug>/plan/goals/<int:goal_id>/actions/",
        plan_views.goal_actions,
        name="ta_plan_goal_actions",
    ),
    path(
        "g/<slug:slug>/plan/actions/<int:action_id>/",
        plan_views.goal_action,
        name="ta_plan_action",
    ),
]
