-- One row per lead known as of as_of_date (deleted leads excluded): when it reached
-- each step of the lead funnel (inquiry -> MQL -> SAL -> converted), whether it
-- passed a step without its date (skipped: a later step was reached, as for
-- opportunity stages), and the opportunity it produced when it is that
-- opportunity's attributed lead (int_opportunities_attributed).
with leads as (
    select * from {{ ref('stg_crm__leads') }}
    where
        not is_deleted
        and created_at < {{ crm_revenue.as_of_cutoff() }}
),

attributions as (
    select * from {{ ref('int_opportunities_attributed') }}
    where converted_lead_id is not null
),

stamps as (
    select * from {{ ref('int_opportunity_stages_pivoted') }}
),

opportunity_states as (
    -- the current state: deleted opportunities produce nothing
    select
        opportunity_id,
        is_deleted,
        stage_group
    from {{ ref('int_opportunity_states') }}
    where is_current_state
),

known_steps as (
    -- milestones after as_of_date are not known yet
    select
        lead_id,
        coalesce(lead_source_cleaned, 'unknown') as lead_source,
        created_at,
        known_mql_at as mql_at,
        known_sal_at as sal_at,
        case
            when
                (is_converted or converted_opportunity_id is not null)
                and coalesce(converted_at, created_at) < {{ crm_revenue.as_of_cutoff() }}
                then coalesce(converted_at, created_at)
        end as converted_at
    from leads
),

produced_opportunities as (
    select
        attributions.converted_lead_id as lead_id,
        attributions.opportunity_id,
        stamps.qualified_at is not null as is_qualified,
        opportunity_states.stage_group = 'won' as is_won
    from attributions
    inner join opportunity_states
        on attributions.opportunity_id = opportunity_states.opportunity_id
    left join stamps
        on attributions.opportunity_id = stamps.opportunity_id
    where not opportunity_states.is_deleted
),

final as (
    select
        -- ids
        known_steps.lead_id,
        known_steps.lead_source,
        produced_opportunities.opportunity_id,
        -- step dates (null: not reached, or reached only by skipping)
        known_steps.created_at,
        known_steps.mql_at,
        known_steps.sal_at,
        known_steps.converted_at,
        -- steps passed (a later step implies the earlier ones)
        known_steps.mql_at is not null
        or known_steps.sal_at is not null
        or known_steps.converted_at is not null as has_passed_mql,
        known_steps.sal_at is not null
        or known_steps.converted_at is not null as has_passed_sal,
        known_steps.converted_at is not null as is_converted,
        -- skipped steps
        known_steps.mql_at is null
        and (known_steps.sal_at is not null or known_steps.converted_at is not null) as is_mql_skipped,
        known_steps.sal_at is null and known_steps.converted_at is not null as is_sal_skipped,
        -- the opportunity it produced
        produced_opportunities.opportunity_id is not null as has_opportunity,
        coalesce(produced_opportunities.is_qualified, false) as is_opportunity_qualified,
        coalesce(produced_opportunities.is_won, false) as is_opportunity_won
    from known_steps
    left join produced_opportunities
        on known_steps.lead_id = produced_opportunities.lead_id
)

select * from final
