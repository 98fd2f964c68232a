// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ERC20 as SolmateERC20} from "solmate/tokens/ERC20.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {Governed} from "../governance/Governed.sol";
import {IStrataPool, Tranche} from "../interfaces/IStrataPool.sol";
import {ITrancheVault} from "../interfaces/ITrancheVault.sol";
import {AssetTransfer} from "../libraries/AssetTransfer.sol";
import {TrancheShares} from "../libraries/TrancheShares.sol";

/// @title TrancheVault
/// @notice The vault of one tranche (senior or junior) of a Strata pool (SPEC §5). One implementation, deployed
///         twice. The pool holds every unit of the asset and keeps the books; this vault mints and burns the
///         tranche's shares, and its `totalAssets()` is the tranche value at `block.timestamp`.
///         The senior vault is an ERC-4626 vault (instant exits within cash) with a Strata redemption queue beyond
///         cash (claims through `claimRedeem`). The junior vault is an ERC-7540 asynchronous-redeem vault: deposits
///         are ERC-4626 (synchronous), every exit is a `requestRedeem` request claimed through the ERC-7540
///         `redeem(shares, receiver, controller)` / `withdraw(assets, receiver, controller)`. Both implement ERC-7575
///         (`share()` is the vault itself) and ERC-165 (docs/redemption-queue.md "Standards").
/// @dev EIP-4626 to the letter: `preview*` round against the caller and equal what the action delivers (on the
///      junior `previewRedeem`/`previewWithdraw` revert, as ERC-7540 requires); `max*` and `totalAssets` never
///      revert and report the pool's exact limits (cash, queue priority, subordination, pause; on the junior, the
///      controller's claimable amounts); `convertTo*` ignore the caller. Shares carry a virtual offset of 10^6 against
///      the inflation attack.
///
///      Redemption queue (SPEC §5 Liquidity, docs/redemption-queue.md): when cash is lent out, a senior lender locks
///      shares with `requestRedeem` (ERC-7540 style) and gets in one first-in first-out line per vault. Junior exits
///      are always requests (SPEC §5 "Junior notice"): served no earlier than `noticePeriod()` after the request, at
///      the price of service; the junior has no instant exit. Anyone may `processQueue`: requests are served from the
///      head, in order, at the share price of the moment of service, from the pool's servable cash (for the junior,
///      within subordination; for neither while pending recoveries would raise the price again, SPEC §5 "Queue
///      fairness"). Served assets move to the vault and are claimed: on the senior per request (`claimRedeem`), on
///      the junior from the controller's claimable total (ERC-7540 `redeem`/`withdraw`). The pool reserves what each
///      queue can be paid out of the cash that borrows and instant withdrawals may use, so nobody can jump the line.
///      Requests, service, cancellation and claims ignore the deposit and borrow pauses (SPEC §8). Every step is O(1)
///      in the length of the queue and in the number of a controller's requests.
contract TrancheVault is
    ITrancheVault,
    ERC4626Upgradeable,
    Governed,
    UUPSUpgradeable,
    ReentrancyGuardTransient,
    IERC165
{
    using Math for uint256;

    using SafeCast for uint256;

    /// @custom:storage-location erc7201:strata.storage.TrancheVault
    /// @dev Fields after `tranche` were appended for the redemption queue; `queueHead` and `requestCount` pack into
    ///      the first slot, beside `pool` and `tranche`. Request ids start at 1: the head request is
    ///      `queueHead + 1`, the queue holds ids `queueHead + 1 ..= requestCount` (cancelled ones are skipped).
    ///      `noticePeriod` was appended for the junior notice (0 on the senior; 0 on a junior upgraded from an
    ///      earlier version reads as `DEFAULT_NOTICE_PERIOD` until governance sets it). `claimable` was appended for
    ///      the junior's ERC-7540 claims (per controller; unused on the senior).
    struct TrancheVaultStorage {
        IStrataPool pool;
        Tranche tranche;
        uint40 queueHead;
        uint40 requestCount;
        mapping(uint256 requestId => RedemptionRequest) requests;
        mapping(address controller => mapping(address operator => bool)) operators;
        uint256 totalClaimableAssets;
        uint32 noticePeriod;
        mapping(address controller => ClaimableRedeem) claimable;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.TrancheVault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant VAULT_STORAGE = 0x3d73c3fe7013218e35fe7a011e1d0ae03947641e8f400cecccefa4e621adaf00;

    /// @dev OpenZeppelin's ERC-7201 ERC-20 namespace (`ERC20Upgradeable.ERC20Storage`, private in OZ 5): `_balances`
    ///      at offset 0 (this slot), `_allowances` at 1, `_totalSupply` at 2, `_name` and `_symbol` at 3 and 4. Since
    ///      issue #30 the vault keeps no share supply of its own (`totalSupply` is the pool's ledger) and `_update`
    ///      writes the balances here itself; `_totalSupply` is frozen legacy storage (see `totalSupply`).
    // keccak256(abi.encode(uint256(keccak256("openzeppelin.storage.ERC20")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant ERC20_STORAGE = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00;

    /// @notice Virtual-share offset (decimals) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = TrancheShares.DECIMALS_OFFSET;

    /// @notice How many queued requests `requestRedeem` tries to serve after queueing (see docs/redemption-queue.md).
    uint256 public constant AUTO_SERVE_REQUESTS = 3;

    /// @notice The shortest junior notice period governance may set (SPEC §5 "Junior notice", §8 hard bounds).
    uint256 public constant MIN_NOTICE_PERIOD = 1 hours;
    /// @notice The longest junior notice period governance may set.
    uint256 public constant MAX_NOTICE_PERIOD = 30 days;
    /// @notice The junior notice period of a proxy upgraded from a version without one, until governance sets it.
    uint256 public constant DEFAULT_NOTICE_PERIOD = 24 hours;

    /// @dev The pool, this vault's tranche and the asset, as immutables of the implementation (issue #30): deposits,
    ///      withdrawals and requests read none of them from storage. Each vault has its own implementation (the
    ///      tranche differs); `TrancheVaultStorage` and ERC-4626's storage keep the same values (append-only layout;
    ///      `initialize` refuses an implementation built for another pool, tranche or asset).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IStrataPool private immutable poolContract;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    Tranche private immutable trancheId;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable assetToken;

    /// @notice Disables initializers on the implementation and fixes the pool, tranche and asset it serves.
    /// @param pool_ The pool (its proxy).
    /// @param tranche_ The tranche of the vault behind which this implementation runs.
    /// @param asset_ The pool's asset.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IStrataPool pool_, Tranche tranche_, address asset_) {
        poolContract = pool_;
        trancheId = tranche_;
        assetToken = asset_;
        _disableInitializers();
    }

    /// @notice Initializes the vault of `tranche_` over `pool_` behind its proxy, with the notice period of its exit
    ///         requests: 0 for the senior, within `[MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD]` for the junior.
    function initialize(
        IStrataPool pool_,
        Tranche tranche_,
        address asset_,
        string calldata name_,
        string calldata symbol_,
        address governance_,
        address guardian_,
        uint256 noticePeriod_
    ) external initializer {
        if (address(pool_) == address(0) || asset_ == address(0)) revert ZeroAddress();
        __ERC20_init(name_, symbol_);
        __ERC4626_init(IERC20(asset_));
        __Governed_init(governance_, guardian_);
        if (address(pool_) != address(poolContract)) {
            revert ImplementationMismatch("pool", address(poolContract), address(pool_));
        }
        if (tranche_ != trancheId) {
            // The tranches as addresses 0x0 (senior) and 0x1 (junior): the error's one shape.
            revert ImplementationMismatch(
                "tranche", address(uint160(uint8(trancheId))), address(uint160(uint8(tranche_)))
            );
        }
        if (asset_ != assetToken) revert ImplementationMismatch("asset", assetToken, asset_);
        TrancheVaultStorage storage $ = _vs();
        $.pool = pool_;
        $.tranche = tranche_;
        if (tranche_ == Tranche.Senior) {
            if (noticePeriod_ != 0) revert SeniorHasNoNotice(noticePeriod_);
        } else {
            _setNoticePeriod($, 0, noticePeriod_);
        }
    }

    /// @notice The asset (an immutable of the implementation, equal to ERC-4626's stored one).
    function asset() public view override returns (address) {
        return assetToken;
    }

    /// @inheritdoc ITrancheVault
    function pool() public view returns (IStrataPool) {
        return poolContract;
    }

    /// @inheritdoc ITrancheVault
    function tranche() public view returns (Tranche) {
        return trancheId;
    }

    /// @inheritdoc ITrancheVault
    function noticePeriod() public view returns (uint256) {
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Senior) return 0;
        uint256 period = $.noticePeriod;
        return period == 0 ? DEFAULT_NOTICE_PERIOD : period;
    }

    /// @inheritdoc ITrancheVault
    function setNoticePeriod(uint256 period) external onlyGovernance {
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Senior) revert SeniorHasNoNotice(period);
        _setNoticePeriod($, noticePeriod(), period);
    }

    /// @inheritdoc ITrancheVault
    function serviceableAt(uint256 requestId) external view returns (uint256) {
        return uint256(_vs().requests[requestId].requestedAt) + noticePeriod();
    }

    // ------------------------------------------------------------------------------------------ ERC-20, ERC-4626 views

    /// @notice The tranche's share supply: the pool's ledger (`pool.shareSupply(tranche)`), the one share ledger since
    ///         issue #30. Never reverts.
    /// @dev One view call to the pool, which reads one slot (a mint or a withdrawal prices at it). The pool books every change of it before (`onDeposit`) or right after
    ///      (`onWithdraw`, `onRedeemServed`) the vault mints or burns the shares, in the same call of the vault, so
    ///      it equals the sum of the balances at every external call's end (test/invariant `invariant_shareLedgers`).
    ///      OpenZeppelin's `_totalSupply` (ERC-20 storage, offset 2) is frozen legacy: `_update` no longer writes it
    ///      and nothing reads it. It is 0 on a vault deployed since #30 and, on one upgraded from an earlier release,
    ///      the supply at its upgrade; the slot stays (append-only layout, SPEC §8.6).
    function totalSupply() public view override(ERC20Upgradeable, IERC20) returns (uint256) {
        return poolContract.shareSupply(trancheId);
    }

    /// @notice The tranche value at `block.timestamp` (SPEC §5). Never reverts.
    function totalAssets() public view override returns (uint256) {
        return poolContract.trancheValue(trancheId);
    }

    /// @notice Shares a deposit of `assets` mints now, rounded down. Deposits are priced at the tranche value with the
    ///         loans in liquidation counted at their book value (`pool.trancheDepositValue`): a newcomer never buys a
    ///         share of pending auction recoveries below book. Exits are priced at `totalAssets` (realised value).
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        return TrancheShares.forDeposit(assets, totalSupply(), _depositPrice());
    }

    /// @notice Assets a mint of `shares` takes now, rounded up, at the deposit price (see `previewDeposit`).
    function previewMint(uint256 shares) public view override returns (uint256) {
        return TrancheShares.forMint(shares, totalSupply(), _depositPrice());
    }

    /// @notice The pool's exact deposit limit: 0 while deposits are paused, the senior is impaired or the junior is
    ///         wiped out with shares outstanding; the subordination limit for the senior; and the room left in the
    ///         pool's 128-bit ledgers of cash and of this tranche's shares. Caller-independent, never reverts.
    function maxDeposit(address) public view override returns (uint256) {
        uint256 poolMax = poolContract.maxDeposit(trancheId);
        if (poolMax == 0) return 0;
        return poolMax.min(TrancheShares.maxDepositForLedger(totalSupply(), _depositPrice()));
    }

    /// @notice The shares `maxDeposit` buys, rounded down: `previewDeposit(maxDeposit)`. So `previewMint(maxMint)
    ///         <= maxDeposit` (a mint of `maxMint` never takes more than the deposit limit) and `maxMint` fits in the
    ///         share ledger, whichever limit binds.
    function maxMint(address receiver) public view override returns (uint256) {
        return previewDeposit(maxDeposit(receiver));
    }

    /// @notice Senior: what `owner` can withdraw now, its shares' value capped by the pool's instant-withdrawal limit
    ///         (cash not owed to either queue); 0 for the vault's own shares (locked in the queue).
    ///         Junior (ERC-7540): the served, unclaimed assets of controller `owner`, i.e. exactly what
    ///         `withdraw(assets, receiver, owner)` accepts. Junior exits are `requestRedeem` requests served after the
    ///         notice period at the price of service (SPEC §5 "Junior notice"), so a junior seeing a loss coming
    ///         cannot leave before it is booked.
    function maxWithdraw(address owner) public view override returns (uint256) {
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Junior) return $.claimable[owner].assets;
        if (owner == address(this)) return 0;
        return _convertToAssets(balanceOf(owner), Math.Rounding.Floor).min(poolContract.maxWithdraw(Tranche.Senior));
    }

    /// @notice Senior: the shares `owner` can redeem now, its balance capped so that the assets paid stay within the
    ///         pool's instant-withdrawal limit (see `maxWithdraw`). Junior (ERC-7540): the served, unclaimed shares of
    ///         controller `owner` (`redeem(shares, receiver, owner)` accepts any amount up to it).
    function maxRedeem(address owner) public view override returns (uint256) {
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Junior) return $.claimable[owner].shares;
        if (owner == address(this)) return 0;
        return balanceOf(owner).min(_convertToShares(poolContract.maxWithdraw(Tranche.Senior), Math.Rounding.Floor));
    }

    /// @notice Senior: the shares a withdrawal of `assets` burns now, rounded up (ERC-4626). Junior: reverts with
    ///         `AsyncRedeemNoPreview` for every input (ERC-7540: exits are asynchronous).
    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        if (trancheId == Tranche.Junior) revert AsyncRedeemNoPreview();
        return super.previewWithdraw(assets);
    }

    /// @notice Senior: the assets a redemption of `shares` pays now, rounded down (ERC-4626). Junior: reverts with
    ///         `AsyncRedeemNoPreview` for every input (ERC-7540: exits are asynchronous).
    function previewRedeem(uint256 shares) public view override returns (uint256) {
        if (trancheId == Tranche.Junior) revert AsyncRedeemNoPreview();
        return super.previewRedeem(shares);
    }

    // ------------------------------------------------------------------------------------------ ERC-165, ERC-7575

    /// @notice ERC-165. Both vaults: ERC-165 (`0x01ffc9a7`) and ERC-7575 (`0x2f0a18c5`: a complete ERC-4626 vault
    ///         with `share()`). The junior also: the ERC-7540 operator methods (`0xe3bc4e65`) and asynchronous
    ///         redemption (`0x620ee8e4`). The senior claims neither: its exits are synchronous ERC-4626 and its queue
    ///         is claimed per request (`claimRedeem`), so it is not an ERC-7540 vault.
    function supportsInterface(bytes4 interfaceId) public view returns (bool) {
        if (interfaceId == 0x01ffc9a7 || interfaceId == 0x2f0a18c5) return true;
        if (interfaceId == 0xe3bc4e65 || interfaceId == 0x620ee8e4) return trancheId == Tranche.Junior;
        return false;
    }

    /// @inheritdoc ITrancheVault
    function share() external view returns (address) {
        return address(this);
    }

    // ------------------------------------------------------------------------------------------ ERC-4626 actions

    /// @notice Deposits `assets` for `previewDeposit(assets)` shares to `receiver`. Reverts on zero assets or zero
    ///         shares, and past `maxDeposit` (the pool's `ExceedsMaxDeposit` with `maxDeposit`, or
    ///         `ERC4626ExceededMaxDeposit` for an amount past the 128-bit ledgers).
    /// @dev One pool call (issue #30): the asset goes straight from the caller to the pool (balance-checked), then
    ///      the pool prices and books the deposit under its lock (`onDeposit` with no shares) and the vault mints.
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        if (assets > type(uint128).max) revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        address caller = _msgSender();
        AssetTransfer.pullExact(SolmateERC20(assetToken), caller, address(poolContract), assets);
        shares = poolContract.onDeposit(trancheId, assets, 0);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @notice Mints exactly `shares` to `receiver` for `previewMint(shares)` assets (same limits as `deposit`).
    /// @dev Reads the supply once (one pool call) for the price (`previewMint`'s rule) and the ledger's room.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        uint256 supply = totalSupply();
        assets = TrancheShares.forMint(shares, supply, _depositPrice());
        _checkShareRoom(receiver, assets, shares, supply);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice Senior (ERC-4626): withdraws exactly `assets` to `receiver`, burning `previewWithdraw(assets)` of
    ///         `owner`'s shares (allowance if the caller is not `owner`). Reverts past `maxWithdraw(owner)`: with
    ///         `ERC4626ExceededMaxWithdraw` for the vault's own locked shares and past `owner`'s balance; with the
    ///         pool's `ExceedsMaxWithdraw` past the cash not owed to the queues.
    ///         Junior (ERC-7540 claim, third argument the `controller`): pays exactly `assets` of the controller's
    ///         claimable assets to `receiver`, retiring the claimable shares they stand for, rounded up (see
    ///         `_claim`). Caller: the controller or its operator (`NotControllerOrOperator`); past
    ///         `maxWithdraw(controller)` `ERC4626ExceededMaxWithdraw`.
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Junior) {
            ClaimableRedeem storage c = _claimableOf($, owner);
            uint256 claimableAssets = c.assets;
            if (assets > claimableAssets) revert ERC4626ExceededMaxWithdraw(owner, assets, claimableAssets);
            uint256 claimableShares = c.shares;
            shares = assets == claimableAssets
                ? claimableShares
                : claimableShares.mulDiv(assets, claimableAssets, Math.Rounding.Ceil);
            _claim($, c, owner, receiver, assets, shares);
            return shares;
        }
        if (assets > type(uint128).max || owner == address(this)) {
            revert ERC4626ExceededMaxWithdraw(owner, assets, maxWithdraw(owner));
        }
        shares = _convertToShares(assets, Math.Rounding.Ceil); // previewWithdraw (senior), without its tranche check
        if (shares > balanceOf(owner)) revert ERC4626ExceededMaxWithdraw(owner, assets, maxWithdraw(owner));
        _withdraw(_msgSender(), receiver, owner, assets, shares);
    }

    /// @notice Senior (ERC-4626): redeems exactly `shares` of `owner` for `previewRedeem(shares)` assets to
    ///         `receiver`. Reverts past `maxRedeem(owner)` (`ERC4626ExceededMaxRedeem`, or the pool's
    ///         `ExceedsMaxWithdraw` past its cash, as `withdraw`).
    ///         Junior (ERC-7540 claim, third argument the `controller`): retires exactly `shares` of the controller's
    ///         claimable shares and pays the assets they were served for to `receiver`, rounded down (see `_claim`).
    ///         Caller: the controller or its operator (`NotControllerOrOperator`); past `maxRedeem(controller)`
    ///         `ERC4626ExceededMaxRedeem`.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override
        nonReentrant
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        TrancheVaultStorage storage $ = _vs();
        if (trancheId == Tranche.Junior) {
            ClaimableRedeem storage c = _claimableOf($, owner);
            uint256 claimableShares = c.shares;
            if (shares > claimableShares) revert ERC4626ExceededMaxRedeem(owner, shares, claimableShares);
            uint256 claimableAssets = c.assets;
            assets = shares == claimableShares
                ? claimableAssets
                : claimableAssets.mulDiv(shares, claimableShares, Math.Rounding.Floor);
            _claim($, c, owner, receiver, assets, shares);
            return assets;
        }
        if (owner == address(this) || shares > balanceOf(owner)) {
            revert ERC4626ExceededMaxRedeem(owner, shares, maxRedeem(owner));
        }
        // One pool call (issue #30): the pool prices the shares at the tranche's value (`previewRedeem`'s rule,
        // `TrancheShares.forRedeem`) and pays them.
        return _exit(_msgSender(), receiver, owner, 0, shares);
    }

    // ------------------------------------------------------------------------------------------ redemption queue

    /// @inheritdoc ITrancheVault
    function totalClaimableAssets() external view returns (uint256) {
        return _vs().totalClaimableAssets;
    }

    /// @inheritdoc ITrancheVault
    function setOperator(address operator, bool approved) external returns (bool) {
        _vs().operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /// @inheritdoc ITrancheVault
    function isOperator(address controller, address operator) public view returns (bool) {
        return _vs().operators[controller][operator];
    }

    /// @inheritdoc ITrancheVault
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (shares == 0) revert ZeroAmount();
        if (controller == address(0)) revert ZeroAddress();
        if (msg.sender != owner && !isOperator(owner, msg.sender)) _spendAllowance(owner, msg.sender, shares);
        _transfer(owner, address(this), shares);
        TrancheVaultStorage storage $ = _vs();
        requestId = uint256($.requestCount) + 1;
        $.requestCount = requestId.toUint40();
        RedemptionRequest storage r = $.requests[requestId];
        r.controller = controller;
        r.requestedAt = uint40(block.timestamp);
        r.pendingShares = shares.toUint128();
        poolContract.onRedeemQueueChanged(trancheId, shares, false);
        emit RedeemRequest(controller, owner, requestId, msg.sender, shares);
        _processQueue($, AUTO_SERVE_REQUESTS);
    }

    /// @inheritdoc ITrancheVault
    function processQueue(uint256 maxRequests) external nonReentrant returns (uint256 served) {
        if (maxRequests == 0) revert ZeroMaxRequests();
        return _processQueue(_vs(), maxRequests);
    }

    /// @inheritdoc ITrancheVault
    function claimRedeem(uint256 requestId, address receiver) external nonReentrant returns (uint256 assets) {
        if (receiver == address(0)) revert ZeroAddress();
        TrancheVaultStorage storage $ = _vs();
        RedemptionRequest storage r = _controlled($, requestId);
        if (r.servedUntil != 0) revert ClaimWithRedeem(requestId, r.controller);
        assets = r.claimableAssets;
        if (assets == 0) revert RequestNotClaimable(requestId);
        uint256 shares = r.claimableShares;
        r.claimableShares = 0;
        r.claimableAssets = 0;
        address controller = r.controller;
        emit RedeemClaimed(requestId, controller, receiver, assets, shares);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        $.totalClaimableAssets -= assets;
        SafeTransferLib.safeTransfer(SolmateERC20(assetToken), receiver, assets);
    }

    /// @inheritdoc ITrancheVault
    function cancelRedeemRequest(uint256 requestId) external nonReentrant returns (uint256 shares) {
        TrancheVaultStorage storage $ = _vs();
        RedemptionRequest storage r = _controlled($, requestId);
        shares = r.pendingShares;
        if (shares == 0) revert NothingToCancel(requestId);
        r.pendingShares = 0;
        address controller = r.controller;
        poolContract.onRedeemQueueChanged(trancheId, shares, true);
        _transfer(address(this), controller, shares);
        emit RedeemRequestCancelled(requestId, controller, shares);
    }

    /// @inheritdoc ITrancheVault
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        RedemptionRequest storage r = _vs().requests[requestId];
        return r.controller == controller ? r.pendingShares : 0;
    }

    /// @inheritdoc ITrancheVault
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        TrancheVaultStorage storage $ = _vs();
        RedemptionRequest storage r = $.requests[requestId];
        if (r.controller != controller) return 0;
        uint256 end = r.servedUntil;
        if (end == 0) return r.claimableShares;
        ClaimableRedeem storage c = $.claimable[controller];
        uint256 claimed = c.servedShares - c.shares;
        if (end <= claimed) return 0;
        return end - (end - r.claimableShares).max(claimed);
    }

    /// @inheritdoc ITrancheVault
    function claimableRedeem(address controller) external view returns (ClaimableRedeem memory) {
        return _vs().claimable[controller];
    }

    /// @inheritdoc ITrancheVault
    function redeemRequest(uint256 requestId) external view returns (RedemptionRequest memory) {
        return _vs().requests[requestId];
    }

    /// @inheritdoc ITrancheVault
    function queue() external view returns (uint256 head, uint256 requestCount, uint256 pendingShares) {
        TrancheVaultStorage storage $ = _vs();
        (pendingShares,) = poolContract.queueState(trancheId);
        return ($.queueHead, $.requestCount, pendingShares);
    }

    // ------------------------------------------------------------------------------------------ internals

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev OpenZeppelin's `_update` (every mint, burn and transfer), without its supply: moves `value` from `from`'s
    ///      balance (none for a mint) to `to`'s (none for a burn) in OpenZeppelin's ERC-20 storage and emits
    ///      `Transfer`, with OpenZeppelin's `ERC20InsufficientBalance`. The share supply is the pool's ledger, which
    ///      the pool moves in the same vault call (`totalSupply`), so a mint or burn costs no write of a second
    ///      supply (issue #30). `_mint`, `_burn` and `_transfer` keep their `ERC20InvalidReceiver`/`ERC20InvalidSender`
    ///      checks. Both steps are unchecked, as in OpenZeppelin: the debit is at most the balance (checked first),
    ///      and a credit cannot overflow because the balances add up to at most the pool's supply, a 128-bit ledger
    ///      that books every mint (OpenZeppelin's own argument, with the pool's supply for its `_totalSupply`).
    function _update(address from, address to, uint256 value) internal override {
        mapping(address account => uint256) storage balances = _balances();
        if (from != address(0)) {
            uint256 fromBalance = balances[from];
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            unchecked {
                balances[from] = fromBalance - value;
            }
        }
        if (to != address(0)) {
            unchecked {
                balances[to] += value;
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev `ERC20Storage._balances` of OpenZeppelin's ERC-20 namespace (the mapping at its base slot).
    function _balances() private pure returns (mapping(address account => uint256) storage balances) {
        assembly {
            balances.slot := ERC20_STORAGE
        }
    }

    /// @dev A mint's booking (`deposit` books in one call of its own): the asset goes straight from the caller to the
    ///      pool (balance-checked), then the pool books the named shares (no more than the assets buy), then they are
    ///      minted.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        if (shares == 0) revert ZeroAmount();
        AssetTransfer.pullExact(SolmateERC20(assetToken), caller, address(poolContract), assets);
        poolContract.onDeposit(trancheId, assets, shares);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Shares are burned first; the pool then pays `receiver` from its cash.
    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (assets == 0) revert ZeroAmount();
        _exit(caller, receiver, owner, assets, shares);
    }

    /// @dev Burns `owner`'s `shares` (allowance if `caller` is not `owner`), then the pool pays `receiver`: `assets`,
    ///      or for a redemption (`assets == 0`) what it prices them at. Returns what was paid.
    function _exit(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        private
        returns (uint256 paid)
    {
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        paid = poolContract.onWithdraw(trancheId, assets, shares, receiver);
        emit Withdraw(caller, receiver, owner, paid, shares);
    }

    /// @dev Serves from the head, visiting at most `maxRequests` requests. Full service of a request is a redeem at
    ///      today's price (assets rounded down). When the request is worth more than the servable cash, it is a
    ///      withdraw of exactly that cash (shares rounded up) and processing stops: the rest waits for more cash.
    ///      Pending shares worth zero assets at a non-zero servable cash are dust and are retired for nothing (so a
    ///      dust request can never block the line). Nothing is served while the servable cash is zero.
    function _processQueue(TrancheVaultStorage storage $, uint256 maxRequests) private returns (uint256 served) {
        uint256 head = $.queueHead;
        uint256 end = $.requestCount;
        if (maxRequests < end - head) end = head + maxRequests;
        IStrataPool pool_ = poolContract;
        Tranche tranche_ = trancheId;
        uint256 notice = head < end ? noticePeriod() : 0;
        // The share supply (`totalSupply`, the pool's ledger), read at the first request served and then followed
        // here: each service burns exactly its shares from it (`_burn`, then `onRedeemServed`). Never 0 once read:
        // it includes the pending shares the vault holds.
        uint256 supply;
        while (head < end) {
            uint256 id = head + 1;
            RedemptionRequest storage r = $.requests[id];
            uint256 pending = r.pendingShares;
            if (pending != 0) {
                if (notice != 0 && r.requestedAt + notice > block.timestamp) break;
                uint256 cap = pool_.servable(tranche_);
                if (cap == 0) break;
                if (supply == 0) supply = totalSupply();
                (uint256 shares, uint256 assets) = _service(pending, cap, supply);
                if (shares == 0) break; // unreachable while a share is worth less than one asset unit
                supply -= shares;
                pending -= shares;
                r.pendingShares = uint128(pending);
                if (tranche_ == Tranche.Junior) _creditJunior($, r, shares, assets);
                r.claimableShares += uint128(shares);
                r.claimableAssets += assets.toUint128();
                $.totalClaimableAssets += assets;
                ++served;
                _burn(address(this), shares);
                pool_.onRedeemServed(tranche_, assets, shares);
                emit RedeemServed(id, r.controller, assets, shares, pending);
                if (pending != 0) break;
            }
            head = id;
        }
        if (head != $.queueHead) {
            $.queueHead = uint40(head);
            emit QueueAdvanced(head, served);
        }
    }

    /// @dev The service of a request's `pending` shares within `cap` servable assets, with `supply` shares out:
    ///      all of them for their value rounded down (`_convertToAssets`), or, when that is more than `cap`, exactly
    ///      `cap` for its shares rounded up (`_convertToShares`); ERC-4626's conversions at `supply` and the tranche
    ///      value (read once). `(0, 0)` if even the partial service would take every pending share.
    function _service(uint256 pending, uint256 cap, uint256 supply)
        private
        view
        returns (uint256 shares, uint256 assets)
    {
        uint256 value = totalAssets() + 1;
        uint256 virtualSupply = supply + 10 ** DECIMALS_OFFSET;
        assets = pending.mulDiv(value, virtualSupply, Math.Rounding.Floor);
        if (assets <= cap) return (pending, assets);
        shares = cap.mulDiv(virtualSupply, value, Math.Rounding.Ceil);
        if (shares >= pending) return (0, 0);
        return (shares, cap);
    }

    /// @dev Junior service: adds `shares` served for `assets` to the controller's claimable total and its served
    ///      sequence, and marks where request `r` ends in it (`servedUntil`). A part of `r` served before the ERC-7540
    ///      release (`servedUntil == 0`, `claimableShares != 0`) is moved into the total first, so it is claimed the
    ///      same way. Called before `r`'s own served figures grow.
    function _creditJunior(TrancheVaultStorage storage $, RedemptionRequest storage r, uint256 shares, uint256 assets)
        private
    {
        ClaimableRedeem storage c = $.claimable[r.controller];
        uint256 addShares = shares;
        uint256 addAssets = assets;
        if (r.servedUntil == 0) {
            addShares += r.claimableShares;
            addAssets += r.claimableAssets;
        }
        uint256 served = c.servedShares + addShares;
        c.shares = (c.shares + addShares).toUint128();
        c.assets = (c.assets + addAssets).toUint128();
        c.servedShares = served;
        r.servedUntil = served.toUint128();
    }

    /// @dev Junior ERC-7540 claim: retires `shares` of `controller`'s claimable total for `assets` (the caller
    ///      computed both against it: `redeem` rounds assets down, `withdraw` rounds shares up, a claim of the whole
    ///      total is exact, so the total's assets never fall short of its shares), pays `receiver`, and emits the
    ///      ERC-4626 `Withdraw` with the caller as sender and the controller as owner. Zero assets are allowed (shares
    ///      served as dust) and move no tokens.
    function _claim(
        TrancheVaultStorage storage $,
        ClaimableRedeem storage c,
        address controller,
        address receiver,
        uint256 assets,
        uint256 shares
    ) private {
        if (receiver == address(0)) revert ZeroAddress();
        c.shares = uint128(c.shares - shares);
        c.assets = uint128(c.assets - assets);
        $.totalClaimableAssets -= assets;
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        if (assets != 0) SafeTransferLib.safeTransfer(SolmateERC20(assetToken), receiver, assets);
    }

    /// @dev The claimable total of `controller`, if the caller is `controller` or an operator it approved.
    function _claimableOf(TrancheVaultStorage storage $, address controller)
        private
        view
        returns (ClaimableRedeem storage)
    {
        if (msg.sender != controller && !$.operators[controller][msg.sender]) {
            revert NotControllerOrOperator(msg.sender, controller);
        }
        return $.claimable[controller];
    }

    /// @dev The tranche value deposits are priced at.
    function _depositPrice() private view returns (uint256) {
        return poolContract.trancheDepositValue(trancheId);
    }

    /// @dev The pool's tranche supply (`supply`, read by the caller) is a 128-bit ledger: a deposit that would
    ///      overflow it is past `maxDeposit`.
    function _checkShareRoom(address receiver, uint256 assets, uint256 shares, uint256 supply) private view {
        if (shares > type(uint128).max - supply) {
            revert ERC4626ExceededMaxDeposit(receiver, assets, maxDeposit(receiver));
        }
    }

    function _setNoticePeriod(TrancheVaultStorage storage $, uint256 oldPeriod, uint256 period) private {
        if (period < MIN_NOTICE_PERIOD || period > MAX_NOTICE_PERIOD) {
            revert ParameterOutOfBounds("noticePeriod", period, MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD);
        }
        emit NoticePeriodSet(oldPeriod, period);
        $.noticePeriod = uint32(period);
    }

    /// @dev Request `requestId`, if the caller is its controller or an operator of it.
    function _controlled(TrancheVaultStorage storage $, uint256 requestId)
        private
        view
        returns (RedemptionRequest storage r)
    {
        r = $.requests[requestId];
        address controller = r.controller;
        if (msg.sender != controller && !$.operators[controller][msg.sender]) {
            revert NotRequestController(requestId, msg.sender, controller);
        }
    }

    function _vs() private pure returns (TrancheVaultStorage storage $) {
        assembly {
            $.slot := VAULT_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}
