@description('Azure region.')
param location string

@description('Storage account name (3-24 lower-case letters and digits).')
param name string

@description('Blob container that holds the deployment package.')
param deploymentContainer string

@description('Table that holds decisions and account timelines.')
param decisionsTableName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource decisions 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: decisionsTableName
}

@description('Storage account name.')
output name string = account.name

@description('Blob endpoint.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Table endpoint.')
output tableEndpoint string = account.properties.primaryEndpoints.table
