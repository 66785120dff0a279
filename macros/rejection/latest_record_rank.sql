{#-
    1 for the record to keep among usable rows sharing a key (the most recently
    modified, then the later row in the export); 2+ for superseded ones. Rows already
    rejected (`pending_reason` not null) are ranked apart so they never win.
-#}
{% macro latest_record_rank(key, modified_at, pending_reason='pending_reason') %}
    row_number() over (
        partition by {{ key }}, ({{ pending_reason }} is null)
        order by {{ modified_at }} desc nulls last, _raw_row_number desc
    )
{% endmacro %}
