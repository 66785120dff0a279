-- One row per usable opportunity_history row: the full state of an opportunity
-- recorded at created_at. In source_shape scd2 (no OpportunityHistory object) the rows
-- are the opportunity versions that change the state, recorded at the version's start.
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with history as (
    select * from {{ ref('base_crm__opportunity_history') }}
    where rejection_reason is null
),

versions as (
    select * from {{ ref('stg_crm__opportunity_versions') }}
    where is_state_change
),

exported_history as (
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
),

versioned_history as (
    select
        -- ids
        opportunity_version_id as opportunity_history_id,
        opportunity_id,
        -- state
        stage_name,
        amount,
        close_date,
        probability,
        forecast_category,
        -- dates
        valid_from as created_at,
        -- flags
        false as is_deleted
    from versions
),

final as (
    select * from exported_history
    union all
    select * from versioned_history
)

select * from final
