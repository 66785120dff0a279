-- For every export: raw rows = kept rows (in staging) + rejected rows (in the audit).
-- In source_shape scd2 the staged opportunities and history rows derived from versions
-- (the third entry: the stg_crm__opportunity_versions flag marking them) are not
-- export rows of those objects; the versions reconcile as `opportunity_version`.
{%- set objects = {
    'opportunity': ['base_crm__opportunities', 'stg_crm__opportunities', 'is_current_version'],
    'opportunity_history': ['base_crm__opportunity_history', 'stg_crm__opportunity_history', 'is_state_change'],
    'lead': ['base_crm__leads', 'stg_crm__leads'],
    'opportunity_contact_role': ['base_crm__opportunity_contact_roles', 'stg_crm__opportunity_contact_roles'],
    'account': ['base_crm__accounts', 'stg_crm__accounts'],
    'user': ['base_crm__users', 'stg_crm__users'],
    'dated_conversion_rate': ['base_crm__dated_conversion_rates', 'stg_crm__dated_conversion_rates'],
    'opportunity_version': ['base_crm__opportunity_versions', 'stg_crm__opportunity_versions'],
} %}

with rejected as (
    select
        source_object,
        count(*) as rejected_rows
    from {{ ref('audit_rejected_rows') }}
    group by source_object
),

counted as (
    {%- for object_name, models in objects.items() %}
    select
        '{{ object_name }}' as source_object,
        (select count(*) from {{ ref(models[0]) }}) as raw_rows,
        (select count(*) from {{ ref(models[1]) }})
        {%- if models | length > 2 %}
        - (
            select count(*) from {{ ref('stg_crm__opportunity_versions') }}
            where {{ models[2] }}
        )
        {%- endif %} as kept_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        counted.source_object,
        counted.raw_rows,
        counted.kept_rows,
        coalesce(rejected.rejected_rows, 0) as rejected_rows,
        counted.raw_rows = counted.kept_rows + coalesce(rejected.rejected_rows, 0) as is_reconciled
    from counted
    left join rejected
        on counted.source_object = rejected.source_object
)

select * from final
