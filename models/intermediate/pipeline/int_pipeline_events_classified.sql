-- One row per movement caused by an opportunity state change inside a reported
-- quarter Q: each change moves the opportunity's contribution to Q's pipeline from
-- `before` to `after` (both under Q's window and Q's conversion rate) and is
-- classified by the waterfall rules (see README: the six elements).
with states as (
    select * from {{ ref('int_pipeline_states') }}
),

quarters as (
    select * from {{ ref('int_pipeline_quarters') }}
),

rates as (
    select * from {{ ref('int_pipeline_currency_rates') }}
),

qualification as (
    -- when each opportunity first reached an open pipeline or won stage
    select
        opportunity_id,
        min(valid_from) as qualified_at,
        {{ crm_revenue.fiscal_quarter_start('min(valid_from)') }} as qualified_quarter_start_date,
        min(state_sequence) as qualified_state_sequence
    from states
    where stage_group in ('pipeline', 'won') and not is_deleted
    group by opportunity_id
),

state_changes as (
    select
        opportunity_id,
        opportunity_type,
        currency_iso_code,
        state_sequence,
        valid_from as changed_at,
        -- the quarter the change happens in (an equality join to the quarters)
        {{ crm_revenue.fiscal_quarter_start('valid_from') }} as changed_quarter_start_date,
        -- the state before the change (null when the opportunity starts existing)
        lag(stage_group) over (partition by opportunity_id order by state_sequence) as previous_stage_group,
        lag(amount) over (partition by opportunity_id order by state_sequence) as previous_amount,
        lag(close_date) over (partition by opportunity_id order by state_sequence) as previous_close_date,
        coalesce(lag(is_deleted) over (partition by opportunity_id order by state_sequence), false) as previous_is_deleted,
        state_sequence > 1 as has_previous_state,
        -- the state after the change
        stage_group,
        amount,
        close_date,
        is_deleted
    from states
),

changes_in_quarters as (
    select
        state_changes.*,
        quarters.quarter_start_date,
        quarters.next_quarter_start_date,
        quarters.window_end_date,
        qualification.qualified_at,
        qualification.qualified_state_sequence,
        coalesce(qualification.qualified_quarter_start_date = quarters.quarter_start_date, false)
            as is_qualified_in_quarter,
        {{ crm_revenue.convert_to_corporate('coalesce(state_changes.previous_amount, 0)', 'rates.currency_conversion_rate') }}
            as previous_amount_corporate,
        {{ crm_revenue.convert_to_corporate('coalesce(state_changes.amount, 0)', 'rates.currency_conversion_rate') }}
            as amount_corporate
    from state_changes
    inner join quarters
        on state_changes.changed_quarter_start_date = quarters.quarter_start_date
    inner join rates
        on quarters.quarter_start_date = rates.quarter_start_date
        and state_changes.currency_iso_code = rates.currency_iso_code
    left join qualification
        on state_changes.opportunity_id = qualification.opportunity_id
),

contributions as (
    select
        *,
        case
            when
                has_previous_state
                and {{ crm_revenue.in_pipeline_window('previous_', 'quarter_start_date', 'window_end_date') }}
                then previous_amount_corporate
            else cast(0 as {{ crm_revenue.amount_type() }})
        end as contribution_before,
        case
            when {{ crm_revenue.in_pipeline_window('', 'quarter_start_date', 'window_end_date') }}
                then amount_corporate
            else cast(0 as {{ crm_revenue.amount_type() }})
        end as contribution_after,
        (
            stage_group = 'won' and not is_deleted
            and (not has_previous_state or previous_stage_group <> 'won')
        ) as is_won_event,
        (
            stage_group = 'lost' and not is_deleted
            and (not has_previous_state or previous_stage_group <> 'lost')
        ) as is_lost_event
    from changes_in_quarters
),

events as (
    select
        *,
        -- the amount the opportunity enters the pipeline with (0 = no entry)
        case
            when is_lost_event then cast(0 as {{ crm_revenue.amount_type() }})
            when is_won_event and contribution_before = 0 then amount_corporate
            when not is_won_event and contribution_before = 0 then contribution_after
            else cast(0 as {{ crm_revenue.amount_type() }})
        end as entry_amount
    from contributions
),

ranked_events as (
    select
        *,
        case
            when entry_amount <> 0 then row_number() over (
                partition by opportunity_id, quarter_start_date, (entry_amount <> 0)
                order by state_sequence
            )
        end as entry_rank
    from events
),

entries as (
    select
        *,
        case
            when is_qualified_in_quarter and entry_rank = 1 then 'new_pipeline'
            when
                has_previous_state
                and (
                    previous_stage_group in ('won', 'lost')
                    or previous_is_deleted
                    -- qualified at an earlier state (by order: states can share an instant)
                    or (previous_stage_group = 'pre_pipeline' and qualified_state_sequence < state_sequence)
                ) then 'reopened'
            when
                has_previous_state
                and coalesce(previous_amount, 0) = 0
                and previous_close_date >= quarter_start_date
                and previous_close_date < window_end_date then 'value_increase'
            else 'pulled_in'
        end as entry_class
    from ranked_events
    where entry_amount <> 0
),

entry_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        state_sequence,
        changed_at,
        case when entry_class = 'new_pipeline' then 'new_pipeline' else 'value_change' end as element,
        entry_class as sub_element,
        entry_amount as amount
    from entries
),

exit_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        state_sequence,
        changed_at,
        'value_change' as element,
        case
            when is_deleted or stage_group = 'pre_pipeline' then 'removed'
            when
                coalesce(amount, 0) = 0
                and close_date >= quarter_start_date
                and close_date < window_end_date then 'value_decrease'
            else 'pushed_out'
        end as sub_element,
        -contribution_before as amount
    from events
    where
        not is_won_event and not is_lost_event
        and contribution_before <> 0 and contribution_after = 0
),

amount_change_movements as (
    -- still in the pipeline with another value, or won at another value
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        state_sequence,
        changed_at,
        'value_change' as element,
        case
            when new_value > contribution_before then 'value_increase' else 'value_decrease'
        end as sub_element,
        new_value - contribution_before as amount
    from (
        select
            *,
            case when is_won_event then amount_corporate else contribution_after end as new_value
        from events
        where not is_lost_event and contribution_before <> 0
    ) as valued_events
    where new_value <> 0 or is_won_event
),

won_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        state_sequence,
        changed_at,
        'closed_won' as element,
        'closed_won' as sub_element,
        amount_corporate as amount
    from events
    where is_won_event
),

lost_movements as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        state_sequence,
        changed_at,
        'closed_lost' as element,
        'closed_lost' as sub_element,
        contribution_before as amount
    from events
    where is_lost_event and contribution_before <> 0
),

all_movements as (
    select * from entry_movements
    union all
    select * from exit_movements
    union all
    select * from amount_change_movements
    union all
    select * from won_movements
    union all
    select * from lost_movements
),

final as (
    select
        opportunity_id,
        opportunity_type,
        quarter_start_date,
        element,
        sub_element,
        amount as amount_corporate,
        changed_at as moved_at,
        state_sequence
    from all_movements
    where amount <> 0 or element = 'closed_won'
)

select * from final
