{#-
    For a child export row (history, contact role): 0 when its opportunity was kept by
    staging, 1 when every record of that Id was rejected, null when the Id is unknown.
    `opportunities` is a relation or CTE with opportunity_id and rejection_reason.
-#}
{% macro parent_opportunity_status(opportunities, opportunity_id) %}
    (
        select min(case when parent.rejection_reason is null then 0 else 1 end)
        from {{ opportunities }} as parent
        where parent.opportunity_id = {{ opportunity_id }}
    )
{% endmacro %}
