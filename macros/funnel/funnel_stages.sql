{#-
    The nine canonical stages in funnel order: the seven open stages (pre-pipeline
    and pipeline), then closed_won and closed_lost. Drives the stage stamp columns,
    the stage list of the period view and the conversion pairs.
-#}
{% macro funnel_stages() %}
    {{ return(['targeted', 'engaged', 'prioritized', 'qualified', 'solution', 'proposal',
               'negotiation', 'closed_won', 'closed_lost']) }}
{% endmacro %}
