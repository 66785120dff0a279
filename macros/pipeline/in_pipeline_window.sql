{#-
    True when a state counts toward a quarter's pipeline: it is not deleted, its
    canonical stage is an open pipeline stage and its close date lies in the
    quarter's window [window_start, window_end). `state` is a column prefix
    (e.g. 'previous_' or '').
-#}
{% macro in_pipeline_window(state, window_start, window_end) %}
    coalesce(
        not {{ state }}is_deleted
        and {{ state }}stage_group = 'pipeline'
        and {{ state }}close_date >= {{ window_start }}
        and {{ state }}close_date < {{ window_end }},
        false
    )
{% endmacro %}
