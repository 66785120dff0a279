-- One row per usable opportunity contact role (a member of the deal's buying group).
-- Built only once the reject-rate gate on audit_reject_shares has passed.
-- depends_on: {{ ref('audit_reject_shares') }}
with contact_roles as (
    select * from {{ ref('base_crm__opportunity_contact_roles') }}
    where rejection_reason is null
),

final as (
    select
        -- ids
        opportunity_contact_role_id,
        opportunityid as opportunity_id,
        contactid as contact_id,
        -- descriptive
        role as contact_role,
        -- dates
        parsed_created_at as created_at,
        -- columns passed through by the passthrough_columns var
        {%- for column in crm_revenue.passthrough_columns('opportunity_contact_role') %}
        contact_roles.{{ column }},
        {%- endfor %}
        -- flags
        coalesce(parsed_is_primary, false) as is_primary,
        coalesce(parsed_is_deleted, false) or coalesce(parsed_is_source_deleted, false)
            as is_deleted
    from contact_roles
)

select * from final
