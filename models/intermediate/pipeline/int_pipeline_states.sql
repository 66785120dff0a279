-- The opportunity timeline as the waterfall reads it. With the close_grace_days var
-- (default 0: this is int_opportunity_states unchanged), a won or lost state recorded
-- within that many days after the end of the fiscal quarter holding its close date is
-- moved to that quarter's last instant, so back-dated closes count where finance books
-- them. A close is never moved before the state preceding it.
{%- set grace_days = var('close_grace_days') | int %}
{{ config(materialized='table' if grace_days > 0 else 'view') }}

with states as (
    select * from {{ ref('int_opportunity_states') }}
),
{%- if grace_days == 0 %}

final as (
    select * from states
)
{%- else %}

close_events as (
    select
        *,
        lag(valid_from) over (partition by opportunity_id order by state_sequence) as previous_valid_from,
        (
            stage_group in ('won', 'lost') and not is_deleted
            and coalesce(lag(stage_group) over (partition by opportunity_id order by state_sequence), '') <> stage_group
        ) as is_close_event,
        cast(
            {{ crm_revenue.fiscal_quarter_start('close_date', quarters_after=1) }}
            as {{ dbt.type_timestamp() }}
        ) as close_quarter_end_at
    from states
),

adjusted as (
    select
        *,
        case
            when is_close_event
                and valid_from >= close_quarter_end_at
                and valid_from < {{ dbt.dateadd('day', grace_days, 'close_quarter_end_at') }}
                and coalesce(previous_valid_from < {{ dbt.dateadd('microsecond', -1, 'close_quarter_end_at') }}, true)
                then {{ dbt.dateadd('microsecond', -1, 'close_quarter_end_at') }}
            else valid_from
        end as adjusted_valid_from
    from close_events
),

final as (
    select
        opportunity_state_id,
        opportunity_id,
        state_sequence,
        opportunity_history_id,
        state_source,
        adjusted_valid_from as valid_from,
        lead(adjusted_valid_from) over (partition by opportunity_id order by state_sequence)
            as valid_to,
        opportunity_type,
        stage_name,
        canonical_stage,
        stage_order,
        stage_group,
        amount,
        currency_iso_code,
        close_date,
        probability,
        forecast_category,
        stage_probability,
        is_deleted,
        is_unmapped_stage,
        is_current_state
    from adjusted
)
{%- endif %}

select * from final
