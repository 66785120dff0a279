-- One row per usable opportunity_history row: the full state of an opportunity
-- recorded at created_at.
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with history as (
    select * from {{ ref('base_crm__opportunity_history') }}
    where rejection_reason is null
),

final as (
    select
        -- ids
        record_id as opportunity_history_id,
        opportunity_id,
        -- state
        stagename as stage_name,
        parsed_amount as amount,
        parsed_close_date as close_date,
        parsed_probability as probability,
        forecastcategory as forecast_category,
        -- dates
        parsed_created_at as created_at,
        -- flags
        coalesce(parsed_is_deleted, false) or coalesce(parsed_is_source_deleted, false)
            as is_deleted
    from history
)

select * from final
