-- One row per usable opportunity version (source_shape scd2; empty in the other shapes),
-- typed, in order, with what it means for the timeline:
-- - a version's start is the time of a state change; versions that differ from the one
--   before only in columns the timeline does not use collapse (`is_state_change` false);
-- - the trailing versions flagged deleted (IsDeleted / _fivetran_deleted / dbt_is_deleted)
--   delete the opportunity from the first one's start; without them, a last version whose
--   interval is closed (a hard delete) deletes it at the interval's end (`deleted_at`);
-- - the last version is the current record (`is_current_version`), and the last version
--   before the deletion holds the last state (`is_last_state`).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with versions as (
    select * from {{ ref('base_crm__opportunity_versions') }}
    where rejection_reason is null
),

typed_versions as (
    select
        -- ids
        opportunity_id,
        record_id as opportunity_version_id,
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
        coalesce(parsed_last_modified_at, parsed_valid_from) as last_modified_at,
        -- validity: an end at or after 9999-12-31, or an active version, is open
        parsed_valid_from as valid_from,
        case
            when
                parsed_valid_to < cast('9999-12-31' as {{ dbt.type_timestamp() }})
                and not coalesce(parsed_is_active, false)
                then parsed_valid_to
        end as closed_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity') %}
        {{ column }},
        {%- endfor %}
        -- flags
        coalesce(parsed_is_closed, false) as is_closed,
        coalesce(parsed_is_won, false) as is_won,
        coalesce(parsed_is_deleted, false) or coalesce(parsed_is_source_deleted, false) as is_flagged_deleted
    from versions
),

sequenced_versions as (
    select
        *,
        row_number() over (partition by opportunity_id order by valid_from) as version_sequence,
        count(*) over (partition by opportunity_id) as version_count
    from typed_versions
),

live_extents as (
    select
        *,
        -- the last version not flagged deleted (null when every version is)
        max(case when not is_flagged_deleted then version_sequence end)
            over (partition by opportunity_id) as last_live_sequence
    from sequenced_versions
),

classified_versions as (
    select
        *,
        version_sequence > coalesce(last_live_sequence, 0) as is_trailing_deleted,
        -- an opportunity seen only deleted existed from its first version
        version_sequence <= coalesce(last_live_sequence, 1) as is_live,
        version_sequence = coalesce(last_live_sequence, 1) as is_last_state,
        version_sequence = version_count as is_current_version
    from live_extents
),

live_versions as (
    select
        opportunity_id,
        version_sequence,
        lag(stage_name) over (partition by opportunity_id order by version_sequence) as previous_stage_name,
        lag(amount) over (partition by opportunity_id order by version_sequence) as previous_amount,
        lag(close_date) over (partition by opportunity_id order by version_sequence) as previous_close_date,
        lag(probability) over (partition by opportunity_id order by version_sequence) as previous_probability,
        lag(forecast_category) over (partition by opportunity_id order by version_sequence)
            as previous_forecast_category,
        stage_name,
        amount,
        close_date,
        probability,
        forecast_category
    from classified_versions
    where is_live
),

state_changes as (
    select
        opportunity_id,
        version_sequence,
        (
            version_sequence = 1
            or stage_name is distinct from previous_stage_name
            or amount is distinct from previous_amount
            or close_date is distinct from previous_close_date
            or probability is distinct from previous_probability
            or forecast_category is distinct from previous_forecast_category
        ) as is_state_change
    from live_versions
),

deletions as (
    select
        opportunity_id,
        coalesce(
            min(case when is_trailing_deleted then valid_from end),
            max(case when is_current_version then closed_at end)
        ) as deleted_at
    from classified_versions
    group by opportunity_id
),

final as (
    select
        classified_versions.*,
        coalesce(state_changes.is_state_change, false) as is_state_change,
        deletions.deleted_at
    from classified_versions
    left join state_changes
        on classified_versions.opportunity_id = state_changes.opportunity_id
        and classified_versions.version_sequence = state_changes.version_sequence
    inner join deletions
        on classified_versions.opportunity_id = deletions.opportunity_id
)

select * from final
