-- One row per opportunity with a known state: its buying group, i.e. the contacts
-- attached through opportunity contact roles. Deleted roles, roles created after
-- as_of_date and roles created after the deal closed (for a deal closed as of
-- as_of_date: onboarding contacts did not shape the outcome and would flatter the
-- win rate of large groups) are left out; the latter are counted apart.
with stamps as (
    select * from {{ ref('int_opportunity_stages_pivoted') }}
),

contact_roles as (
    select * from {{ ref('stg_crm__opportunity_contact_roles') }}
    where
        not is_deleted
        and (created_at is null or created_at < {{ crm_revenue.as_of_cutoff() }})
),

classified_roles as (
    select
        contact_roles.opportunity_id,
        contact_roles.contact_id,
        contact_roles.contact_role,
        contact_roles.is_primary,
        coalesce(contact_roles.created_at > stamps.closed_at, false) as is_added_after_close,
        coalesce(contact_roles.created_at < stamps.qualified_at, false) as is_added_before_qualified,
        coalesce(lower(contact_roles.contact_role) like '%decision maker%', false) as is_decision_maker,
        coalesce(lower(contact_roles.contact_role) like '%economic%', false) as is_economic_buyer
    from contact_roles
    inner join stamps
        on contact_roles.opportunity_id = stamps.opportunity_id
),

group_members as (
    select
        opportunity_id,
        count(distinct contact_id) as contact_count,
        count(distinct contact_role) as distinct_role_count,
        max(case when is_primary then 1 else 0 end) = 1 as has_primary_contact,
        max(case when is_decision_maker then 1 else 0 end) = 1 as has_decision_maker,
        max(case when is_economic_buyer then 1 else 0 end) = 1 as has_economic_buyer,
        count(distinct case when is_added_before_qualified then contact_id end)
            as contacts_before_qualified_count
    from classified_roles
    where not is_added_after_close
    group by opportunity_id
),

late_members as (
    select
        opportunity_id,
        count(distinct contact_id) as contacts_added_after_close_count
    from classified_roles
    where is_added_after_close
    group by opportunity_id
),

final as (
    select
        -- ids
        stamps.opportunity_id,
        -- size and roles
        coalesce(group_members.contact_count, 0) as contact_count,
        coalesce(group_members.distinct_role_count, 0) as distinct_role_count,
        case
            when coalesce(group_members.contact_count, 0) = 0 then '0'
            when group_members.contact_count <= 2 then '1-2'
            when group_members.contact_count <= 5 then '3-5'
            else '6+'
        end as buying_group_size_bucket,
        case
            when group_members.has_decision_maker and group_members.has_economic_buyer
                then 'decision_maker_and_economic_buyer'
            when group_members.has_decision_maker then 'decision_maker_only'
            when group_members.has_economic_buyer then 'economic_buyer_only'
            else 'neither'
        end as role_coverage,
        -- flags
        coalesce(group_members.has_primary_contact, false) as has_primary_contact,
        coalesce(group_members.has_decision_maker, false) as has_decision_maker,
        coalesce(group_members.has_economic_buyer, false) as has_economic_buyer,
        -- timing
        case
            when stamps.qualified_at is not null
                then coalesce(group_members.contacts_before_qualified_count, 0)
        end as contacts_before_qualified_count,
        coalesce(late_members.contacts_added_after_close_count, 0) as contacts_added_after_close_count
    from stamps
    left join group_members
        on stamps.opportunity_id = group_members.opportunity_id
    left join late_members
        on stamps.opportunity_id = late_members.opportunity_id
)

select * from final
