-- One row per usable opportunity (the most recently modified record per Id), typed,
-- with its CRM type mapped to an opportunity type (unknown when unmapped). In
-- source_shape scd2 the record is the opportunity's last version, holding its last state;
-- a deleted one's last_modified_at is the time of the deletion.
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with exported_records as (
    select * from {{ ref('base_crm__opportunities') }}
    where rejection_reason is null
),

versions as (
    select * from {{ ref('stg_crm__opportunity_versions') }}
),

type_mapping as (
    select
        lower(trim(crm_type)) as crm_type_key,
        opportunity_type
    from {{ crm_revenue.mapping_relation('opportunity_type_mapping', var('crm_opportunity_type_mapping', none)) }}
),

exported_opportunities as (
    select
        -- ids
        opportunity_id,
        accountid as account_id,
        ownerid as owner_id,
        -- descriptive
        name as opportunity_name,
        type as crm_type,
        stagename as stage_name,
        leadsource as lead_source,
        forecastcategoryname as forecast_category,
        -- amounts
        parsed_amount as amount,
        currency_iso_code,
        parsed_probability as probability,
        -- dates
        parsed_close_date as close_date,
        parsed_created_at as created_at,
        coalesce(parsed_last_modified_at, parsed_created_at) as last_modified_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        {{ column }},
        {%- endfor %}
        -- flags
        coalesce(parsed_is_closed, false) as is_closed,
        coalesce(parsed_is_won, false) as is_won,
        coalesce(parsed_is_deleted, false) or coalesce(parsed_is_source_deleted, false) as is_deleted
    from exported_records
),

current_versions as (
    select * from versions
    where is_current_version
),

last_states as (
    select * from versions
    where is_last_state
),

versioned_opportunities as (
    select
        -- ids
        current_versions.opportunity_id,
        current_versions.account_id,
        current_versions.owner_id,
        -- descriptive
        current_versions.opportunity_name,
        current_versions.crm_type,
        last_states.stage_name,
        current_versions.lead_source,
        last_states.forecast_category,
        -- amounts
        last_states.amount,
        current_versions.currency_iso_code,
        last_states.probability,
        -- dates
        last_states.close_date,
        current_versions.created_at,
        coalesce(current_versions.deleted_at, current_versions.last_modified_at) as last_modified_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        current_versions.{{ column }},
        {%- endfor %}
        -- flags
        current_versions.is_closed,
        current_versions.is_won,
        current_versions.deleted_at is not null as is_deleted
    from current_versions
    inner join last_states
        on current_versions.opportunity_id = last_states.opportunity_id
),

opportunities as (
    select * from exported_opportunities
    union all
    select * from versioned_opportunities
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.owner_id,
        -- descriptive
        opportunities.opportunity_name,
        opportunities.crm_type,
        coalesce(type_mapping.opportunity_type, 'unknown') as opportunity_type,
        type_mapping.opportunity_type is null as is_unmapped_type,
        opportunities.stage_name,
        opportunities.lead_source,
        nullif(trim(opportunities.lead_source), '') as lead_source_cleaned,
        lower(nullif(trim(opportunities.lead_source), '')) as lead_source_key,
        opportunities.forecast_category,
        -- amounts
        opportunities.amount,
        opportunities.currency_iso_code,
        opportunities.probability,
        -- dates
        opportunities.close_date,
        opportunities.created_at,
        opportunities.last_modified_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        opportunities.{{ column }},
        {%- endfor %}
        -- flags
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_deleted
    from opportunities
    left join type_mapping
        on lower(trim(opportunities.crm_type)) = type_mapping.crm_type_key
)

select * from final
