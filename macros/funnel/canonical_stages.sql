{#-
    THE list of canonical stages, in funnel order (a stage's stage_order is its
    position, 1-based), each with its stage group: pre_pipeline, pipeline, won or lost.
    Everything that knows the stages reads it: the stage_mapping seed maps CRM stage
    names onto these names, int_opportunity_states takes order and group from here,
    and the funnel models generate their per-stage columns from it.
-#}
{% macro canonical_stages() %}
    {{ return([
        {'name': 'targeted', 'stage_group': 'pre_pipeline'},
        {'name': 'engaged', 'stage_group': 'pre_pipeline'},
        {'name': 'prioritized', 'stage_group': 'pre_pipeline'},
        {'name': 'qualified', 'stage_group': 'pipeline'},
        {'name': 'solution', 'stage_group': 'pipeline'},
        {'name': 'proposal', 'stage_group': 'pipeline'},
        {'name': 'negotiation', 'stage_group': 'pipeline'},
        {'name': 'closed_won', 'stage_group': 'won'},
        {'name': 'closed_lost', 'stage_group': 'lost'},
    ]) }}
{% endmacro %}
