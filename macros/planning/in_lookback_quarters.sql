{#-
    True when the quarter with index `quarter_index` is one of the trailing
    planning_lookback_quarters (N) quarters before the anchor quarter: A - N ... A - 1
    (indexes of int_planning_calendar). The one home of the planning lookback window.
-#}
{% macro in_lookback_quarters(quarter_index, anchor_quarter_index) %}
    ({{ quarter_index }} >= {{ anchor_quarter_index }} - {{ var('planning_lookback_quarters') | int }}
        and {{ quarter_index }} < {{ anchor_quarter_index }})
{% endmacro %}
