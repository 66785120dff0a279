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

readings as (
    -- each quarter is read twice, at its start and at its end (boundary_at: the next
    -- quarter's start, or the as-of cutoff); a reading keeps the states closing in
    -- [quarter_start_date, window_end): W(Q) at the start, W(Q) and the quarter rolling
    -- in (up to W(Q + 1)'s end) at the end of a complete quarter
    select
        quarter_start_date,
        'start' as reading,
        quarter_start_at as read_at,
        window_end_date as reading_window_end_date,
        quarter_start_at as moved_at
    from quarters
    union all
    select
        quarter_start_date,
        'end' as reading,
        boundary_at as read_at,
        case when is_complete then next_window_end_date else window_end_date end
            as reading_window_end_date,
        {{ dbt.dateadd('microsecond', -1, 'boundary_at') }} as moved_at
    from quarters
),

read_states as (
    -- the state each opportunity is in just before the reading instant
    -- (valid_to is null only for current states, known before the cutoff)
    select
        states.opportunity_id,
        states.opportunity_type,
        states.currency_iso_code,
        states.amount,
        states.close_date,
        states.stage_probability,
        readings.reading,
        readings.moved_at,
        readings.quarter_start_date
    from states
    inner join readings
        on states.valid_from < readings.read_at
        and coalesce(states.valid_to, {{ crm_revenue.as_of_cutoff() }}) >= readings.read_at
    where
        states.close_date >= readings.quarter_start_date
        and states.close_date < readings.reading_window_end_date
),

valued_states as (
    select
        read_states.*,
        quarters.next_quarter_start_date,
        quarters.following_quarter_start_date,
        quarters.window_end_date,
        quarters.is_complete,
        {{ crm_revenue.convert_to_corporate('coalesce(read_states.amount, 0)', 'this_quarter_rates.currency_conversion_rate') }}
            as amount_at_quarter_rate,
        case
            when read_states.reading = 'end' and quarters.is_complete then
                {{ crm_revenue.convert_to_corporate('coalesce(read_states.amount, 0)', 'coalesce(next_quarter_rates.currency_conversion_rate, this_quarter_rates.currency_conversion_rate)') }}
        end as amount_at_next_quarter_rate
    from read_states
    inner join quarters
        on read_states.quarter_start_date = quarters.quarter_start_date
    inner join rates as this_quarter_rates
        on read_states.quarter_start_date = this_quarter_rates.quarter_start_date
        and read_states.currency_iso_code = this_quarter_rates.currency_iso_code
    left join rates as next_quarter_rates
        on quarters.next_quarter_start_date = next_quarter_rates.quarter_start_date
        and read_states.currency_iso_code = next_quarter_rates.currency_iso_code
),

starting_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        'starting_pipeline' as element,
        case
            when close_date < next_quarter_start_date then 'this_quarter'
            else 'later_quarters'
        end as sub_element,
        amount_at_quarter_rate as amount,
        stage_probability,
        moved_at
    from valued_states
    where reading = 'start'
),

valued_end_states as (
    select * from valued_states
    where reading = 'end'
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
    where
        is_complete
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
    where
        is_complete
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
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount as amount_corporate,
        stage_probability,
        moved_at
    from starting_movements
    union all
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount,
        cast(null as decimal(5, 4)) as stage_probability,
        moved_at
    from roll_movements
    union all
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount,
        cast(null as decimal(5, 4)) as stage_probability,
        moved_at
    from fx_movements
    union all
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount,
        stage_probability,
        moved_at
    from ending_movements
),

final as (
    -- an opportunity in the pipeline with no amount contributes nothing and is not listed
    select * from all_movements
    where amount_corporate <> 0
)

select * from final
