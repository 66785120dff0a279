-- The boundary movements of every reported quarter Q, per opportunity in the pipeline:
-- the starting pipeline (state at Q's start, W(Q), Q's rate) and, at Q's end, the roll
-- of the window from W(Q) to W(Q + 1) on the state before the next quarter's start:
-- past-due pipeline slips, the quarter entering the window rolls in, the rest is
-- revalued at the next quarter's rate (fx_revaluation) and forms the ending pipeline.
-- The incomplete quarter ends with the current state under its own window, no roll.
with states as (
    select * from {{ ref('int_pipeline_states') }}
    where stage_group = 'pipeline' and not is_deleted
),

quarters as (
    select * from {{ ref('int_pipeline_quarters') }}
),

rates as (
    select * from {{ ref('int_pipeline_currency_rates') }}
),

start_states as (
    select
        states.opportunity_id,
        states.opportunity_type,
        states.currency_iso_code,
        states.amount,
        states.close_date,
        states.stage_probability,
        quarters.quarter_start_date,
        quarters.next_quarter_start_date,
        quarters.window_end_date,
        quarters.quarter_start_at
    from states
    inner join quarters
        on states.valid_from < quarters.quarter_start_at
        and (states.valid_to is null or states.valid_to >= quarters.quarter_start_at)
    where
        states.close_date >= quarters.quarter_start_date
        and states.close_date < quarters.window_end_date
),

starting_movements as (
    select
        start_states.opportunity_id,
        start_states.opportunity_type,
        start_states.quarter_start_date,
        'starting_pipeline' as element,
        case
            when start_states.close_date < start_states.next_quarter_start_date then 'this_quarter'
            else 'later_quarters'
        end as sub_element,
        {{ crm_revenue.convert_to_corporate('coalesce(start_states.amount, 0)', 'rates.currency_conversion_rate') }}
            as amount,
        start_states.stage_probability,
        start_states.quarter_start_at as moved_at
    from start_states
    inner join rates
        on start_states.quarter_start_date = rates.quarter_start_date
        and start_states.currency_iso_code = rates.currency_iso_code
),

end_states as (
    select
        states.opportunity_id,
        states.opportunity_type,
        states.currency_iso_code,
        states.amount,
        states.close_date,
        states.stage_probability,
        quarters.quarter_start_date,
        quarters.next_quarter_start_date,
        quarters.following_quarter_start_date,
        quarters.window_end_date,
        quarters.next_window_end_date,
        quarters.is_complete,
        {{ dbt.dateadd('microsecond', -1, 'quarters.boundary_at') }} as moved_at
    from states
    inner join quarters
        on states.valid_from < quarters.boundary_at
        and (states.valid_to is null or states.valid_to >= quarters.boundary_at)
    where
        states.close_date >= quarters.quarter_start_date
        and states.close_date < case
            when quarters.is_complete then quarters.next_window_end_date
            else quarters.window_end_date
        end
),

valued_end_states as (
    select
        end_states.*,
        {{ crm_revenue.convert_to_corporate('coalesce(end_states.amount, 0)', 'this_quarter_rates.currency_conversion_rate') }}
            as amount_at_quarter_rate,
        {{ crm_revenue.convert_to_corporate('coalesce(end_states.amount, 0)', 'coalesce(next_quarter_rates.currency_conversion_rate, this_quarter_rates.currency_conversion_rate)') }}
            as amount_at_next_quarter_rate
    from end_states
    inner join rates as this_quarter_rates
        on end_states.quarter_start_date = this_quarter_rates.quarter_start_date
        and end_states.currency_iso_code = this_quarter_rates.currency_iso_code
    left join rates as next_quarter_rates
        on end_states.next_quarter_start_date = next_quarter_rates.quarter_start_date
        and end_states.currency_iso_code = next_quarter_rates.currency_iso_code
),

roll_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        'value_change' as element,
        case
            when close_date < next_quarter_start_date then 'slipped'
            when close_date >= window_end_date then 'rolled_in'
        end as sub_element,
        case
            when close_date < next_quarter_start_date then -amount_at_quarter_rate
            else amount_at_quarter_rate
        end as amount,
        moved_at
    from valued_end_states
    where is_complete
        and (close_date < next_quarter_start_date or close_date >= window_end_date)
),

fx_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        'value_change' as element,
        'fx_revaluation' as sub_element,
        amount_at_next_quarter_rate - amount_at_quarter_rate as amount,
        moved_at
    from valued_end_states
    where is_complete
        and close_date >= next_quarter_start_date
        and amount_at_next_quarter_rate <> amount_at_quarter_rate
),

ending_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        'ending_pipeline' as element,
        case
            when is_complete and close_date < following_quarter_start_date then 'this_quarter'
            when not is_complete and close_date < next_quarter_start_date then 'this_quarter'
            else 'later_quarters'
        end as sub_element,
        case when is_complete then amount_at_next_quarter_rate else amount_at_quarter_rate end as amount,
        stage_probability,
        moved_at
    from valued_end_states
    where not is_complete or close_date >= next_quarter_start_date
),

all_movements as (
    select
        opportunity_id, opportunity_type, quarter_start_date, element, sub_element,
        amount as amount_corporate, stage_probability, moved_at
    from starting_movements
    union all
    select
        opportunity_id, opportunity_type, quarter_start_date, element, sub_element,
        amount, cast(null as decimal(5, 4)) as stage_probability, moved_at
    from roll_movements
    union all
    select
        opportunity_id, opportunity_type, quarter_start_date, element, sub_element,
        amount, cast(null as decimal(5, 4)) as stage_probability, moved_at
    from fx_movements
    union all
    select
        opportunity_id, opportunity_type, quarter_start_date, element, sub_element,
        amount, stage_probability, moved_at
    from ending_movements
),

final as (
    -- an opportunity in the pipeline with no amount contributes nothing and is not listed
    select * from all_movements
    where amount_corporate <> 0
)

select * from final
