{#-
    The CTEs every base model ends with, reading a `parsed` CTE that has the raw columns,
    the typed columns and `exact_duplicate_rank`:
    `checked` (the first failing check's reason, `pending_reason`), `ranked` (which of the
    usable rows sharing `key` to keep: the latest by `modified_at`, then the later row)
    and `final` (`rejection_reason`: the pending reason, else `superseded_reason` for the
    rows not kept; `record_id` for the audit). The caller ends with `select * from final`.
-#}
{% macro rejection_steps(checks, key, modified_at, record_id, superseded_reason='duplicate_id_superseded') %}
checked as (
    select
        *,
        {{ crm_revenue.first_rejection_reason(checks) }}
            as pending_reason
    from parsed
),

ranked as (
    select
        *,
        {{ crm_revenue.latest_record_rank(key, modified_at) }} as record_rank
    from checked
),

final as (
    select
        *,
        coalesce(
            pending_reason,
            case when record_rank > 1 then '{{ superseded_reason }}' end
        ) as rejection_reason,
        {{ record_id }} as record_id
    from ranked
)
{% endmacro %}
