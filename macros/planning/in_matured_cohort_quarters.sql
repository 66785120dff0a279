{#-
    True when the cohort quarter with index `cohort_quarter_index` is one of the
    planning_lookback_quarters (N) most recent cohorts matured before the anchor quarter A:
    A - m - N + 1 ... A - m, with m = maturing_cohort_quarters (the cohorts
    fct_stage_conversion.is_maturing would not flag if A held as_of_date). Indexes of
    int_planning_calendar. The one home of "matured before".
-#}
{% macro in_matured_cohort_quarters(cohort_quarter_index, anchor_quarter_index) %}
    {%- set lookback = var('planning_lookback_quarters') | int -%}
    {%- set maturing = var('maturing_cohort_quarters') | int -%}
    ({{ cohort_quarter_index }} between {{ anchor_quarter_index }} - {{ maturing + lookback - 1 }}
        and {{ anchor_quarter_index }} - {{ maturing }})
{% endmacro %}
